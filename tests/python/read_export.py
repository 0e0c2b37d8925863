"""Reads a GraphML or GEXF export with networkx and prints what it found as JSON:
node and edge counts, every node's attributes, every edge's ends and attributes.

    read_export.py graphml|gexf PATH
"""
import json
import sys

import networkx as nx
from networkx.readwrite import gexf

# networkx 3.4 knows GEXF 1.1draft and 1.2draft; 1.3 differs from 1.2 in the
# namespace and in what the reader here does not touch, so teach it the namespace.
gexf.GEXF.versions.setdefault(
    "1.3",
    {
        "NS_GEXF": "http://gexf.net/1.3",
        "NS_VIZ": "http://gexf.net/1.3/viz",
        "NS_XSI": "http://www.w3.org/2001/XMLSchema-instance",
        "SCHEMALOCATION": "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
        "VERSION": "1.3",
    },
)

kind, path = sys.argv[1], sys.argv[2]
if kind == "graphml":
    g = nx.read_graphml(path)
elif kind == "gexf":
    g = nx.read_gexf(path, version="1.3")
else:
    sys.exit(f"unknown kind {kind}")

edges = g.edges(data=True)
print(
    json.dumps(
        {
            "class": type(g).__name__,
            "mode": g.graph.get("mode"),
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "node": {n: d for n, d in g.nodes(data=True)},
            "edge": [[s, t, d] for s, t, d in edges],
        },
        ensure_ascii=False,
        default=str,
    )
)
