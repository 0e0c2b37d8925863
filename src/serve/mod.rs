//! `guanxi serve`: a SPARQL 1.1 Protocol endpoint over the store, the Graph Store
//! Protocol's GET for dumps, a landing page with a query editor, and (only with
//! `--allow-ingest`) editions and updates written through the server.
//!
//! The server holds the store open read-write in both modes: RocksDB then refuses
//! any other writer, which a read-only opener could not survive (Oxigraph calls a
//! read-only store under a writing process undefined behaviour). Read-only is
//! enforced here, per request.

mod client;
mod landing;
mod protocol;

pub use client::ingest_through_server;

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use oxhttp::model::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxhttp::Server;
use oxigraph::model::{GraphNameRef, NamedNode};
use oxigraph::sparql::CancellationToken;

use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::graph::query::{self, QueryOptions};
use crate::graph::store::GraphStore;
use crate::text::MetaOverrides;
use protocol::{negotiate, Operation, GRAPH_TYPES};

/// How the endpoint is run: `guanxi serve`'s options.
#[derive(Debug, Clone)]
pub struct Config {
    pub store: PathBuf,
    pub bind: SocketAddr,
    pub allow_ingest: bool,
    /// Each query is cancelled after this long.
    pub timeout: Duration,
    /// SELECT solutions or CONSTRUCT triples sent at most; more are cut, and a header says so.
    pub max_rows: usize,
    /// Request bodies larger than this are refused (413).
    pub max_body: usize,
    pub gazetteers: Option<PathBuf>,
}

/// A request the endpoint turns down: the status and a message for the client.
#[derive(Debug)]
pub struct Problem {
    pub status: u16,
    pub message: String,
}

impl Problem {
    pub fn new(status: u16, message: impl Into<String>) -> Problem {
        Problem {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Problem {
        Problem::new(400, message)
    }

    fn read_only(what: &str) -> Problem {
        Problem::new(
            403,
            format!("{what} refused: this endpoint is read-only (start it with `guanxi serve --allow-ingest`)"),
        )
    }
}

impl From<Error> for Problem {
    fn from(e: Error) -> Problem {
        let status = match &e {
            Error::SparqlSyntax(_) | Error::Input { .. } | Error::InputLine { .. } | Error::Usage(_) => 400,
            Error::Cancelled => 503,
            _ => 500,
        };
        Problem::new(status, e.to_string())
    }
}

/// Header saying the results were cut at `--max-rows`.
const TRUNCATED: &str = "guanxi-results-truncated";

/// The endpoint: the store, the limits, and what it needs to ingest.
pub struct Endpoint {
    store: GraphStore,
    config: Config,
    /// Present only with `--allow-ingest`; one ingest at a time.
    extractor: Option<Mutex<Extractor>>,
    in_flight: AtomicUsize,
    stopping: AtomicBool,
    ingests: AtomicUsize,
}

/// Counts a request as in flight while it lives.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Cancels `token` after `timeout` unless dropped first (which ends its thread at once).
struct Deadline {
    _stop: mpsc::Sender<()>,
}

impl Deadline {
    fn start(token: CancellationToken, timeout: Duration) -> Deadline {
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(timeout) {
                token.cancel();
            }
        });
        Deadline { _stop: stop }
    }
}

impl Endpoint {
    pub fn open(config: Config) -> Result<Endpoint> {
        let store = if config.allow_ingest {
            GraphStore::open(&config.store)?
        } else {
            GraphStore::open_existing(&config.store)?
        };
        let extractor = if config.allow_ingest {
            Some(Mutex::new(Extractor::new(config.gazetteers.as_deref())?))
        } else {
            None
        };
        Ok(Endpoint {
            store,
            config,
            extractor,
            in_flight: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
            ingests: AtomicUsize::new(0),
        })
    }

    /// Answers one request and writes its access log line.
    pub fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        let started = Instant::now();
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let _in_flight = InFlight(&self.in_flight);
        let mut response = if self.stopping.load(Ordering::SeqCst) {
            problem(Problem::new(503, "the server is shutting down"))
        } else {
            self.route(request).unwrap_or_else(problem)
        };
        let headers = response.headers_mut();
        headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
        headers.insert(
            "access-control-expose-headers",
            HeaderValue::from_static("guanxi-results-truncated"),
        );
        let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
        let shown: String = target.chars().take(160).collect();
        eprintln!(
            "{} {}{} {} {:.1}ms",
            request.method(),
            shown,
            if shown.len() < target.len() { "…" } else { "" },
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        response
    }

    fn route(&self, request: &mut Request<Body>) -> Result<Response<Body>, Problem> {
        let method = request.method().clone();
        let path = request.uri().path().to_string();
        if method == Method::OPTIONS {
            return Ok(preflight());
        }
        let allow = |methods: &[Method]| -> Result<(), Problem> {
            if methods.contains(&method) {
                Ok(())
            } else {
                Err(Problem::new(405, format!("{method} is not allowed on {path}")))
            }
        };
        match path.as_str() {
            "/" => {
                allow(&[Method::GET])?;
                Ok(content(
                    200,
                    "text/html; charset=utf-8",
                    landing::page(self.config.allow_ingest),
                ))
            }
            "/assets/yasgui.min.js" => {
                allow(&[Method::GET])?;
                Ok(content(200, "text/javascript; charset=utf-8", crate::web::YASGUI_JS))
            }
            "/assets/yasgui.min.css" => {
                allow(&[Method::GET])?;
                Ok(content(200, "text/css; charset=utf-8", crate::web::YASGUI_CSS))
            }
            "/vocabulary" => {
                allow(&[Method::GET])?;
                Ok(content(200, "text/markdown; charset=utf-8", landing::VOCABULARY))
            }
            "/health" => {
                allow(&[Method::GET])?;
                let body = serde_json::json!({
                    "status": "ok",
                    "read_only": !self.config.allow_ingest,
                    "in_flight": self.in_flight.load(Ordering::SeqCst),
                    "ingested": self.ingests.load(Ordering::SeqCst),
                });
                Ok(content(200, "application/json", body.to_string()))
            }
            "/sparql" => {
                allow(&[Method::GET, Method::POST])?;
                let url_query = request.uri().query().unwrap_or_default().to_string();
                let operation = if method == Method::POST {
                    let content_type = header(request, CONTENT_TYPE).unwrap_or_default();
                    let body = self.body(request)?;
                    protocol::operation(Some((&content_type, &body)), &url_query)?
                } else {
                    protocol::operation(None, &url_query)?
                };
                match operation {
                    Operation::Query { sparql, options } => {
                        self.query(&sparql, options, header(request, ACCEPT).as_deref())
                    }
                    Operation::Update(update) => {
                        if !self.config.allow_ingest {
                            return Err(Problem::read_only("SPARQL Update"));
                        }
                        query::update(&self.store.store, &update)?;
                        self.store.store.flush().map_err(|e| Problem::new(500, e.to_string()))?;
                        Ok(content(204, "text/plain", ""))
                    }
                }
            }
            "/store" => {
                if method != Method::GET {
                    allow(&[Method::GET, Method::PUT, Method::POST, Method::DELETE])?;
                    return Err(if self.config.allow_ingest {
                        Problem::new(
                            405,
                            "Graph Store writes are not offered: ingest editions with POST /ingest, or use SPARQL Update",
                        )
                    } else {
                        Problem::read_only("Graph Store writes")
                    });
                }
                self.dump(
                    request.uri().query().unwrap_or_default(),
                    header(request, ACCEPT).as_deref(),
                )
            }
            "/ingest" => {
                allow(&[Method::POST])?;
                if self.extractor.is_none() {
                    return Err(Problem::read_only("ingest"));
                }
                let url_query = request.uri().query().unwrap_or_default().to_string();
                let body = self.body(request)?;
                self.ingest(&url_query, &body)
            }
            _ => Err(Problem::new(404, format!("nothing at {path}: try / or /sparql"))),
        }
    }

    /// The request body, refused when over `--max-body`.
    fn body(&self, request: &mut Request<Body>) -> Result<Vec<u8>, Problem> {
        let limit = self.config.max_body;
        let too_large = || Problem::new(413, format!("request body over the limit of {limit} bytes"));
        let declared = header(request, CONTENT_LENGTH).and_then(|l| l.parse::<u64>().ok());
        if declared.is_some_and(|l| l > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        request
            .body_mut()
            .take(limit as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| Problem::bad_request(format!("cannot read the request body: {e}")))?;
        if body.len() > limit {
            return Err(too_large());
        }
        Ok(body)
    }

    fn query(&self, sparql: &str, mut options: QueryOptions, accept: Option<&str>) -> Result<Response<Body>, Problem> {
        let token = CancellationToken::new();
        let _deadline = Deadline::start(token.clone(), self.config.timeout);
        options.cancel = Some(token);
        let timed_out = |e: Error| -> Problem {
            let mut p = Problem::from(e);
            if p.status == 503 {
                p.message = format!("{} ({:?})", p.message, self.config.timeout);
            }
            p
        };
        let results = query::execute(&self.store.store, sparql, &options).map_err(timed_out)?;
        let offered = protocol::offers(query::kind_of(&results));
        let (media_type, format) = negotiate(accept, offered).ok_or_else(|| not_acceptable(accept, offered))?;
        let mut body = Vec::new();
        let written = query::write_results(results, format, self.config.max_rows, &mut body).map_err(timed_out)?;
        let mut response = content(200, &with_charset(media_type), body);
        if written.truncated {
            response
                .headers_mut()
                .insert(TRUNCATED, HeaderValue::from(self.config.max_rows));
        }
        Ok(response)
    }

    /// Graph Store Protocol GET: `?graph=IRI` one graph, `?default` the union default graph.
    fn dump(&self, url_query: &str, accept: Option<&str>) -> Result<Response<Body>, Problem> {
        let params: Vec<(String, String)> = form_urlencoded::parse(url_query.as_bytes()).into_owned().collect();
        let graph = match params.as_slice() {
            [(key, _)] if key == "default" => None,
            [(key, iri)] if key == "graph" => Some(
                NamedNode::new(iri.as_str())
                    .map_err(|e| Problem::bad_request(format!("graph {iri:?} is not an IRI: {e}")))?,
            ),
            _ => return Err(Problem::bad_request("give ?graph=IRI or ?default")),
        };
        let (media_type, format) = negotiate(accept, GRAPH_TYPES).ok_or_else(|| not_acceptable(accept, GRAPH_TYPES))?;
        let mut body = Vec::new();
        match &graph {
            Some(g) => {
                if !self
                    .store
                    .store
                    .contains_named_graph(g)
                    .map_err(|e| Problem::new(500, e.to_string()))?
                {
                    return Err(Problem::new(404, format!("no graph <{}> in the store", g.as_str())));
                }
                let serializer = query::graph_serializer(format)?;
                self.store
                    .store
                    .dump_graph_to_writer(GraphNameRef::NamedNode(g.as_ref()), serializer, &mut body)
                    .map_err(|e| Problem::new(500, e.to_string()))?;
            }
            None => {
                // The union default graph, as queries see it: every triple once.
                query::write_results(
                    query::execute(
                        &self.store.store,
                        "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                        &QueryOptions::default(),
                    )?,
                    format,
                    usize::MAX,
                    &mut body,
                )?;
            }
        }
        Ok(content(200, &with_charset(media_type), body))
    }

    /// POST /ingest?name=FILE.txt&paper=…&date=…&page=… with the edition's bytes:
    /// read, extracted and written in one transaction, so a running server answers
    /// from it at once, and bad input leaves the store as it was.
    fn ingest(&self, url_query: &str, body: &[u8]) -> Result<Response<Body>, Problem> {
        let Some(extractor) = &self.extractor else {
            return Err(Problem::read_only("ingest"));
        };
        let mut overrides = MetaOverrides::default();
        let mut name = String::from("edition.txt");
        for (key, value) in form_urlencoded::parse(url_query.as_bytes()).into_owned() {
            match key.as_str() {
                "name" => name = value,
                "paper" => overrides.paper = Some(value),
                "date" => overrides.date = Some(value),
                "page" => overrides.page = Some(value),
                _ => {
                    return Err(Problem::bad_request(format!(
                        "unknown parameter {key:?}: name, paper, date, page"
                    )))
                }
            }
        }
        // The pipeline reads files: the edition goes into a folder of its own under
        // its own name (which may carry its date), and errors name only that.
        let file_name = Path::new(&name)
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.starts_with('.'))
            .ok_or_else(|| Problem::bad_request(format!("name {name:?} is not a file name")))?
            .to_string();
        let dir = std::env::temp_dir().join(format!("guanxi-ingest-{}-{}", std::process::id(), unique()));
        std::fs::create_dir_all(&dir).map_err(|e| Problem::new(500, e.to_string()))?;
        let path = dir.join(&file_name);
        let prepared = std::fs::write(&path, body).map_err(Error::from).and_then(|()| {
            let mut extractor = extractor.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let prepared = crate::ingest::prepare(&mut extractor, &path, &overrides)?;
            self.store.replace_editions([&prepared.quads])?;
            Ok(prepared)
        });
        let _ = std::fs::remove_dir_all(&dir);
        let prepared = prepared.map_err(|e| {
            let mut p = Problem::from(e);
            p.message = p.message.replace(&format!("{}/", dir.display()), "");
            p
        })?;
        self.ingests.fetch_add(1, Ordering::SeqCst);
        let summary = prepared.summary().replace(&format!("{}/", dir.display()), "");
        Ok(content(200, "text/plain; charset=utf-8", format!("{summary}\n")))
    }

    /// Refuses new requests and waits (up to the query timeout and a little) for
    /// those in flight, then flushes the store.
    pub fn stop(&self) -> Result<()> {
        self.stopping.store(true, Ordering::SeqCst);
        let waited = Instant::now();
        while self.in_flight.load(Ordering::SeqCst) > 0
            && waited.elapsed() < self.config.timeout + Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.store.store.flush().map_err(|e| Error::Store {
            path: self.store.path.clone(),
            message: e.to_string(),
        })
    }
}

/// A number no other ingest folder of this process has.
fn unique() -> u64 {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst) as u64
}

fn header(request: &Request<Body>, name: HeaderName) -> Option<String> {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn with_charset(media_type: &str) -> String {
    if media_type.starts_with("text/") {
        format!("{media_type}; charset=utf-8")
    } else {
        media_type.to_string()
    }
}

fn content(status: u16, content_type: &str, body: impl Into<Body>) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

fn problem(p: Problem) -> Response<Body> {
    content(p.status, "text/plain; charset=utf-8", format!("{}\n", p.message))
}

fn not_acceptable<T>(accept: Option<&str>, offered: &[(&str, T)]) -> Problem {
    let offers: Vec<&str> = offered.iter().map(|(m, _)| *m).collect();
    Problem::new(
        406,
        format!(
            "cannot answer in {:?}: offered are {}",
            accept.unwrap_or_default(),
            offers.join(", ")
        ),
    )
}

fn preflight() -> Response<Body> {
    let mut response = content(204, "text/plain", "");
    let headers = response.headers_mut();
    // No Access-Control-Allow-Methods: oxhttp drops that header from every
    // response, and browsers allow GET and POST, all this endpoint takes, without it.
    headers.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("Content-Type, Accept, Authorization"),
    );
    headers.insert("access-control-max-age", HeaderValue::from_static("86400"));
    response
}

/// Runs the endpoint until Ctrl-C or SIGTERM, then stops gracefully.
pub fn serve(config: Config) -> Result<()> {
    let bind = config.bind;
    let endpoint = std::sync::Arc::new(Endpoint::open(config)?);
    let (signal, signalled) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = signal.send(());
    })
    .map_err(|e| Error::Usage(format!("cannot catch Ctrl-C: {e}")))?;
    let handler = std::sync::Arc::clone(&endpoint);
    let _server = Server::new(move |request| handler.handle(request))
        .bind(bind)
        .with_global_timeout(endpoint.config.timeout + Duration::from_secs(30))
        .with_max_concurrent_connections(256)
        .spawn()
        .map_err(|e| Error::Usage(format!("cannot listen on {bind}: {e}")))?;
    eprintln!(
        "guanxi: serving {} at http://{bind}/ (SPARQL at /sparql, {}); Ctrl-C stops",
        endpoint.store.path.display(),
        if endpoint.config.allow_ingest {
            "ingest allowed"
        } else {
            "read-only"
        }
    );
    let _ = signalled.recv();
    eprintln!("guanxi: stopping: finishing the requests in flight");
    endpoint.stop()?;
    eprintln!("guanxi: stopped");
    Ok(())
}
