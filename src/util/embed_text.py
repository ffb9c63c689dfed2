#!/usr/bin/env python3
"""Embeds a text file into the library as a std::string_view, so that an asset (the HTML
report's stylesheet, the built-in root hints) is edited as the file it is and still ships
inside the binary.

usage: embed_text.py INPUT OUTPUT.cpp NAMESPACE NAME

Writes OUTPUT.cpp defining `const std::string_view NAMESPACE::NAME` with INPUT's text (UTF-8).
"""
import pathlib
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    source, output, namespace, name = sys.argv[1:]
    text = pathlib.Path(source).read_text(encoding="utf-8")
    delimiter = "zwtext"
    if f"){delimiter}\"" in text:
        sys.exit(f"embed_text.py: {source} contains the raw string delimiter ){delimiter}\"")
    pathlib.Path(output).write_text(
        f"// Generated from {pathlib.Path(source).name} by embed_text.py; edit that file instead.\n"
        "#include <string_view>\n\n"
        f"namespace {namespace} {{\n"
        f"extern const std::string_view {name};\n"
        f"const std::string_view {name} = R\"{delimiter}({text}){delimiter}\";\n"
        f"}} // namespace {namespace}\n",
        encoding="utf-8")


if __name__ == "__main__":
    main()
