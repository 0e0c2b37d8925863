"""Reads a guanxi endpoint the way researchers' notebooks do.

Usage: sparql_clients.py ENDPOINT SELECT_QUERY CONSTRUCT_QUERY

SPARQLWrapper runs the SELECT by GET reading JSON and by POST reading CSV; the
CONSTRUCT is read by SPARQLWrapper as Turtle and as RDF/XML, and each answer is
parsed by rdflib. Prints one JSON object: the rows of each read and the triples.
"""
import csv
import io
import json
import sys

import rdflib
from SPARQLWrapper import CSV, JSON, POST, RDFXML, TURTLE, SPARQLWrapper

endpoint, select, construct = sys.argv[1:4]

client = SPARQLWrapper(endpoint)
client.setQuery(select)
client.setReturnFormat(JSON)
answer = client.query().convert()
json_rows = [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]

client = SPARQLWrapper(endpoint)
client.setMethod(POST)
client.setQuery(select)
client.setReturnFormat(CSV)
csv_rows = list(csv.DictReader(io.StringIO(client.query().convert().decode("utf-8"))))

client = SPARQLWrapper(endpoint)
client.setQuery(construct)
client.setReturnFormat(TURTLE)
turtle = rdflib.Graph()
turtle.parse(data=client.query().convert(), format="turtle")

client = SPARQLWrapper(endpoint)
client.setQuery(construct)
client.setReturnFormat(RDFXML)
rdfxml = client.query().convert()  # SPARQLWrapper parses RDF/XML into an rdflib Graph itself

print(json.dumps({
    "json": json_rows,
    "csv": csv_rows,
    "turtle": sorted([str(s), str(p), str(o)] for s, p, o in turtle),
    "rdfxml": sorted([str(s), str(p), str(o)] for s, p, o in rdfxml),
}, ensure_ascii=False))
