#!/usr/bin/env python3
"""Checks gdos's JSON output against docs/gdos-cli.schema.json.

    check_json.py SCHEMA FILE...          each FILE holds exactly one JSON document
    check_json.py SCHEMA --lines FILE...  each non-empty line of each FILE is one (JSON Lines)

Beyond the schema: no object holds the same name twice (the parser refuses duplicate keys), and
a field the server sent is in one place only: no name of an unknownFields object is also a
member of the object that holds it. Needs Python's jsonschema (Debian: python3-jsonschema,
installed by scripts/install-deps.sh).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("check_json.py: Python's jsonschema is missing (apt-get install python3-jsonschema, "
             "or scripts/install-deps.sh)")


def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError("the name %r appears twice in one object" % k)
        seen[k] = v
    return seen


def one_place(node, path):
    """Yields the paths where an unknownFields name is also a member of its object."""
    if isinstance(node, dict):
        unknown = node.get("unknownFields")
        if isinstance(unknown, dict):
            for name in unknown:
                if name in node and name != "unknownFields":
                    yield "%s: %r is both a member and an unknown field" % (path, name)
        for k, v in node.items():
            yield from one_place(v, path + "." + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from one_place(v, "%s[%d]" % (path, i))


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    schema = json.load(open(args.pop(0), encoding="utf-8"))
    lines = False
    if args and args[0] == "--lines":
        lines = True
        args.pop(0)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failures = 0
    documents = 0
    for name in args:
        text = open(name, encoding="utf-8").read()
        pieces = [l for l in text.split("\n") if l.strip()] if lines else [text]
        if not pieces:
            print("%s: no JSON document at all" % name)
            failures += 1
        for n, piece in enumerate(pieces, 1):
            where = "%s:%d" % (name, n) if lines else name
            try:
                doc = json.loads(piece, object_pairs_hook=no_duplicates)
            except ValueError as e:
                print("%s: not exactly one JSON document: %s" % (where, e))
                failures += 1
                continue
            documents += 1
            for error in validator.iter_errors(doc):
                print("%s: %s at %s" % (where, error.message[:300], list(error.absolute_path)))
                failures += 1
            for problem in one_place(doc, "$"):
                print("%s: %s" % (where, problem))
                failures += 1
    print("check_json: %d documents in %d files, %d problems" % (documents, len(args), failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
