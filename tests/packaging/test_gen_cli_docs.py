#!/usr/bin/env python3
"""man/gen_cli_docs.py's reading of CLI11's help on shapes zonewarden's own help does not have
(today): descriptions on the next line and over several lines, option groups of its own, CLI11's
value sets, Needs/Excludes; and its refusal, with a one-line reason, of shapes it does not know.
Also the roff escaping. The install test covers the real binary's help.

usage: test_gen_cli_docs.py MAN_DIR
"""
import sys

sys.path.insert(0, sys.argv[1])
import gen_cli_docs as g  # noqa: E402

GOOD = """First line of the description
and its second line
Usage: /build/src/cli/zonewarden sub [OPTIONS] files...

Positionals:
  files TEXT ... REQUIRED     Zone files

Options:
  -h,--help                   Print this help message and exit
  --mode TEXT:{fast,slow}=fast
                              The mode
                              over two lines
  --long-option-name-here INT=5 REQUIRED Needs: --mode
                              Next line
  --some-long-option-nam TEXT ...
                              Desc on the next line although column 30 is a space
  -x                          A flag
  --fail-on TEXT=error        Exit 1 at or above: error, warning, never
  --profile TEXT              Profile: default, strict, or a TOML file (default: default)

Network:
  --timeout TEXT=2s           Per-query timeout (2s, 500ms)
"""

BAD = {
    "option group": GOOD.replace("Network:", "[Option Group: Network]"),
    "odd indentation": GOOD.replace("  --timeout TEXT=2s          ", "   --timeout TEXT=2s         "),
    "no usage": GOOD.replace("Usage:", "Use:"),
    "not the column layout": GOOD.replace("  -x                          A flag", "  -x  A flag"),
    "unknown keyword": GOOD.replace("INT=5 REQUIRED", "INT=5 MANDATORY"),
    "no description": GOOD.replace("First line of the description\nand its second line\n", ""),
    "other program": GOOD.replace("/build/src/cli/zonewarden sub", "/bin/other sub"),
    "no options": GOOD[:GOOD.index("Options:")],
    "entry without description": GOOD.replace("                              Next line\n", "\n"),
}


def check(condition, what):
    if not condition:
        print(f"test_gen_cli_docs: {what}", file=sys.stderr)
        sys.exit(1)


def main():
    cmd = g.parse_help(GOOD, "sub")
    check(cmd.description == "First line of the description and its second line", "description")
    check(cmd.usage == "[OPTIONS] files...", "usage")
    check([p.names for p in cmd.positionals] == [["files"]], "positionals")
    check(cmd.positionals[0].repeatable and cmd.positionals[0].required, "positional flags")
    check([name for name, _ in cmd.groups] == ["Options", "Network"], "groups")
    by_name = {o.names[-1]: o for o in cmd.options}
    check(sorted(by_name) == sorted(["--help", "--mode", "--long-option-name-here", "--some-long-option-nam", "-x",
                                     "--fail-on", "--profile", "--timeout"]), f"options {sorted(by_name)}")
    mode = by_name["--mode"]
    check(mode.description == "The mode over two lines" and mode.default == "fast", "multi-line description")
    check(mode.choices == ["fast", "slow"] and not mode.open_choices, "CLI11 value set")
    long = by_name["--long-option-name-here"]
    check(long.type == "INT" and long.default == "5" and long.required and long.description == "Next line",
          "description on the next line")
    check(by_name["--some-long-option-nam"].repeatable, "repeatable")
    check(by_name["--some-long-option-nam"].description.startswith("Desc on the next line"), "ambiguous column")
    check(not by_name["-x"].takes_value, "flag")
    check(by_name["--fail-on"].choices == ["error", "warning", "never"], "values from the description")
    profile = by_name["--profile"]
    check(profile.choices == ["default", "strict"] and profile.open_choices, "open values")
    check(by_name["--timeout"].choices == [], "an example is not a value set")

    for what, text in BAD.items():
        try:
            g.parse_help(text, "sub")
        except g.ShapeError as e:
            check("\n" not in str(e) and str(e), f"{what}: the reason is not one line")
            continue
        check(False, f"{what}: accepted")

    check(g.roff(".TH x") == "\\&.TH x", "leading dot")
    check(g.roff("'quote") == "\\&'quote", "leading quote")
    check(g.roff("a\\b") == "a\\eb", "backslash")
    check(g.roff("RFC 4034 \u00a73") == "RFC 4034 \\[u00A7]3", "non-ASCII")
    check(g.roff("use --fail-on and -j, comma-separated") == "use \\-\\-fail\\-on and \\-j, comma-separated",
          "option hyphens")
    check(g.roff("dnssec/rrsig-expired", literal=True) == "dnssec/rrsig\\-expired", "literal hyphens")

    rules = g.parse_rules("RULE SEVERITY RESOLVER INPUTS SUMMARY\n"
                          "dnssec/a-b   error    SERVFAIL EDE 7   zone-file A summary: with words\n")
    check([(r.id, r.severity, r.resolver, r.inputs) for r in rules] ==
          [("dnssec/a-b", "error", "SERVFAIL EDE 7", "zone-file")], "rules row")
    for text in ("RULE SEVERITY\n", "RULE SEVERITY RESOLVER INPUTS SUMMARY\n",
                 "RULE SEVERITY RESOLVER INPUTS SUMMARY\nnot a row\n"):
        try:
            g.parse_rules(text)
        except g.ShapeError:
            continue
        check(False, f"rules: {text!r} accepted")
    print("ok")


if __name__ == "__main__":
    main()
