#!/usr/bin/env python3
"""Writes zonewarden's man page and shell completions from the built binary, so they never go
stale: the commands, their options and arguments come from `zonewarden --help` and
`zonewarden COMMAND --help` (CLI11's help layout), the rules from `zonewarden rules`.

usage: gen_cli_docs.py ZONEWARDEN (man|bash|zsh) OUTPUT

  man    the zonewarden(1) page, in roff (man macros; `groff -man -ww` renders it without warnings)
  bash   a bash completion file: complete -F _zonewarden zonewarden
  zsh    a zsh completion file (#compdef zonewarden)

Only the Python standard library. When the help output has a shape this script does not know
(a new CLI11 layout, an option group, an unparsable option line), it exits 1 with a one-line
reason rather than write a page or a completion with a section missing.
"""
import dataclasses
import os
import re
import subprocess
import sys
import time

PROGRAM = "zonewarden"
# CLI11 (2.1) pads "  NAME OPTS" to this column and starts the description there; a longer NAME
# OPTS puts the description on the next line, at this column. Multi-line descriptions continue
# at this column too.
COLUMN = 30
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")


class ShapeError(Exception):
    """The help output is not what this script understands; the message says where."""


@dataclasses.dataclass
class Option:
    names: list          # ["-j", "--jobs"], or ["files"] for a positional
    type: str = ""       # "INT", "TEXT"; empty for a flag
    default: str = ""    # shown by CLI11 as TYPE=DEFAULT
    repeatable: bool = False
    required: bool = False
    description: str = ""
    choices: list = dataclasses.field(default_factory=list)
    open_choices: bool = False  # the choices are examples: a file name is taken too

    @property
    def takes_value(self):
        return bool(self.type)

    @property
    def files(self):
        """Whether the value is a path, as far as the description says (never a number's)."""
        if self.type.split(":")[0] in ("INT", "UINT", "FLOAT", "NUMBER"):
            return False
        # Parenthesized remarks do not count: "Zone apex (default: the owner of the file's SOA)".
        text = re.sub(r"\([^()]*\)", "", self.description)
        return bool(re.search(r"\bfiles?\b|\bFILE\b|\bJSON\b|\bsnapshot\b", text, re.I))

    @property
    def directory(self):
        if self.type.split(":")[0] in ("INT", "UINT", "FLOAT", "NUMBER"):
            return False
        return bool(re.search(r"\bDIR\b", self.description))

    @property
    def rule_id(self):
        return bool(re.match(r"Rule id\b", self.description))


@dataclasses.dataclass
class Command:
    name: str            # "" for the program itself
    description: str
    usage: str           # what follows the command's name in "Usage:", e.g. "[OPTIONS] files..."
    positionals: list = dataclasses.field(default_factory=list)
    groups: list = dataclasses.field(default_factory=list)  # [(group name, [Option])]
    subcommands: list = dataclasses.field(default_factory=list)  # [(name, description)]

    @property
    def options(self):
        return [o for _, opts in self.groups for o in opts]


@dataclasses.dataclass
class RuleRow:
    id: str
    severity: str
    resolver: str
    inputs: str
    summary: str


def run(binary, *args):
    try:
        proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        raise ShapeError(f"{PROGRAM} {' '.join(args)}: {e}")
    if proc.returncode != 0:
        reason = "".join(f": {line}" for line in proc.stderr.strip().splitlines()[-1:])
        raise ShapeError(f"{PROGRAM} {' '.join(args)}: exit status {proc.returncode}{reason}")
    return proc.stdout


# ---- CLI11's help output -------------------------------------------------------------------------

def choices_of(option):
    """The fixed values an option takes: CLI11's own `TEXT:{a,b}` (IsMember), or a list the
    description ends with after a colon: "...: text, json, html" or "...: text or json". An item
    that is not one word ("or a TOML/YAML file") makes the list open: its words are offered and
    a file name is taken too. Parenthesized remarks ("unbound (default)") are dropped."""
    m = re.search(r":\{([^}]*)\}", option.type)
    if m:
        return [c.strip() for c in m.group(1).split(",") if c.strip()], False
    text = option.description
    text = re.sub(r"\([^()]*\)", "", text)  # "(default: x)", "format(s)"
    if ": " not in text:
        return [], False
    tail = text.rsplit(": ", 1)[1].strip().rstrip(".")
    items = [i.strip() for i in re.split(r",|\bor\b", tail)]
    items = [i for i in items if i]
    words = [i for i in items if WORD.fullmatch(i) and i == i.lower()]
    if len(words) < 2 or (words != items[:len(words)]):
        return [], False
    return words, len(words) != len(items)


def parse_entry(left, description, positional, where):
    """One "  NAME OPTS" entry: NAME is -s,--long or a positional's name; OPTS is CLI11's
    TYPE[=DEFAULT] [...] [REQUIRED] [(Env:X)] [Needs: ...] [Excludes: ...]."""
    tokens = left.split(" ")
    names = tokens[0].split(",")
    for n in names:
        pattern = r"[A-Za-z_][A-Za-z0-9_-]*" if positional else r"--?[A-Za-z0-9][A-Za-z0-9_-]*"
        if not re.fullmatch(pattern, n):
            raise ShapeError(f"{where}: {n!r} is not an option name")
    option = Option(names=names, description=description)
    rest = tokens[1:]
    if rest and re.fullmatch(r"[A-Z][A-Z0-9_]*(:\S*)?(=.*)?", rest[0]):
        # CLI11 prints no space in a default (vectors are [a,b]); a space ends it.
        option.type, _, option.default = rest[0].partition("=")
        rest = rest[1:]
    while rest:
        token = rest.pop(0)
        if token == "...":
            option.repeatable = True
        elif token == "REQUIRED":
            option.required = True
        elif token == "x" and rest and rest[0].isdigit():
            rest.pop(0)
            option.repeatable = True
        elif token.startswith("(Env:"):
            pass
        elif token in ("Needs:", "Excludes:"):
            while rest and rest[0].startswith("-"):
                rest.pop(0)
        else:
            raise ShapeError(f"{where}: {token!r} after {tokens[0]} is not a CLI11 type, default or keyword")
    if positional and not option.type:
        raise ShapeError(f"{where}: positional {tokens[0]} has no type")
    option.choices, option.open_choices = choices_of(option)
    return option


def parse_help(text, command):
    """Parses CLI11 2.1's help: description lines, "Usage: ARGV0 [COMMAND] ...", then groups,
    each a "Name:" line and entries "  NAME OPTS<pad to COLUMN>DESCRIPTION" (continued on lines
    indented to COLUMN)."""
    label = f"{PROGRAM} {command} --help".replace("  ", " ")
    lines = text.splitlines()
    usage_at = next((i for i, l in enumerate(lines) if l.startswith("Usage:")), None)
    if usage_at is None:
        raise ShapeError(f"{label}: no 'Usage:' line")
    description = " ".join(l.strip() for l in lines[:usage_at] if l.strip())
    if not description:
        raise ShapeError(f"{label}: no description above 'Usage:'")
    usage = lines[usage_at][len("Usage:"):].split()
    # CLI11 prints argv[0] (the build's path) and then the command's name.
    if not usage or os.path.basename(usage[0]) != PROGRAM:
        raise ShapeError(f"{label}: the usage line does not start with the program's path")
    usage = usage[1:]
    if command:
        if not usage or usage[0] != command:
            raise ShapeError(f"{label}: the usage line does not name the command")
        usage = usage[1:]
    cmd = Command(name=command, description=description, usage=" ".join(usage))

    group = None
    entries = None
    pending = None  # (left, line number) whose description is on the next line
    for number, line in enumerate(lines[usage_at + 1:], usage_at + 2):
        where = f"{label}, line {number}"
        if not line.strip():
            if pending:
                raise ShapeError(f"{where}: {pending[0].split()[0]} has no description")
            continue
        if line.startswith("[Option Group:") or (not line.startswith(" ") and not line.endswith(":")):
            raise ShapeError(f"{where}: {line.strip()!r} is not a group heading this script knows "
                             "(option groups need teaching to man/gen_cli_docs.py)")
        if not line.startswith(" "):
            group = line[:-1]
            if group == "Positionals":
                entries = cmd.positionals
            elif group == "Subcommands":
                entries = cmd.subcommands
            else:
                entries = []
                cmd.groups.append((group, entries))
            continue
        if entries is None:
            raise ShapeError(f"{where}: an entry before any group heading")
        if line.startswith(" " * COLUMN):
            text_part = line[COLUMN:].rstrip()
            if pending:
                left, pending = pending[0], None
                add_entry(entries, group, left, text_part, where)
            elif entries:
                last = entries[-1]
                if isinstance(last, tuple):
                    entries[-1] = (last[0], last[1] + " " + text_part)
                else:
                    last.description += " " + text_part
                    last.choices, last.open_choices = choices_of(last)
            else:
                raise ShapeError(f"{where}: a continuation line with nothing to continue")
            continue
        if pending:
            raise ShapeError(f"{where}: {pending[0].split()[0]} has no description")
        if not line.startswith("  ") or line[2] == " ":
            raise ShapeError(f"{where}: an entry not indented by two spaces")
        following = lines[number] if number < len(lines) else ""
        if len(line.rstrip()) >= COLUMN and (len(line) <= COLUMN or line[COLUMN - 1] != " "
                                            or "  " in line[2:COLUMN].rstrip()
                                            or (following.startswith(" " * COLUMN)
                                                and is_left(line.strip(), group))):
            # NAME OPTS filled the column: the description is on the next line.
            if "  " in line.strip():
                raise ShapeError(f"{where}: not in CLI11's {COLUMN}-column layout")
            pending = (line.strip(), number)
            continue
        left, text_part = line[2:COLUMN].rstrip(), line[COLUMN:].strip()
        if "  " in left or not text_part:
            raise ShapeError(f"{where}: not in CLI11's {COLUMN}-column layout")
        add_entry(entries, group, left, text_part, where)
    if pending:
        raise ShapeError(f"{label}: {pending[0].split()[0]} has no description")
    if not cmd.groups:
        raise ShapeError(f"{label}: no options found (not even --help)")
    if any(not opts for _, opts in cmd.groups):
        raise ShapeError(f"{label}: an empty option group")
    return cmd


def is_left(text, group):
    """Whether all of `text` is one entry's NAME OPTS (so its description is on the next line)."""
    if group == "Subcommands":
        return bool(WORD.fullmatch(text))
    try:
        parse_entry(text, "", group == "Positionals", "")
    except ShapeError:
        return False
    return True


def add_entry(entries, group, left, description, where):
    if group == "Subcommands":
        if not WORD.fullmatch(left):
            raise ShapeError(f"{where}: {left!r} is not a command name")
        entries.append((left, description))
    else:
        entries.append(parse_entry(left, description, group == "Positionals", where))


def parse_rules(text):
    """`zonewarden rules`: a header, then one row per rule in fixed columns. The id, severity
    and inputs are single words; the resolver impact ("SERVFAIL EDE 7") and the summary are not,
    so the row is read by pattern, the inputs column being one of three words."""
    lines = text.splitlines()
    if not lines or lines[0].split() != ["RULE", "SEVERITY", "RESOLVER", "INPUTS", "SUMMARY"]:
        raise ShapeError(f"{PROGRAM} rules: the header is not RULE SEVERITY RESOLVER INPUTS SUMMARY")
    row = re.compile(r"(?P<id>[a-z0-9-]+/[a-z0-9-]+) +(?P<severity>[a-z]+) +(?P<resolver>\S.*?) +"
                     r"(?P<inputs>zone-file|live|both) +(?P<summary>\S.*)")
    rules = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        m = row.fullmatch(line.rstrip())
        if not m:
            raise ShapeError(f"{PROGRAM} rules, line {number}: not a rule row: {line.strip()[:60]!r}")
        rules.append(RuleRow(**m.groupdict()))
    if not rules:
        raise ShapeError(f"{PROGRAM} rules: no rule listed")
    return rules


def read_cli(binary):
    top = parse_help(run(binary, "--help"), "")
    if not top.subcommands:
        raise ShapeError(f"{PROGRAM} --help: no Subcommands section")
    commands = [parse_help(run(binary, name, "--help"), name) for name, _ in top.subcommands]
    version = run(binary, "--version").strip()
    if not re.fullmatch(rf"{PROGRAM} \S+", version):
        raise ShapeError(f"{PROGRAM} --version: {version[:60]!r} is not '{PROGRAM} VERSION'")
    rules = parse_rules(run(binary, "rules"))
    return top, commands, version.split()[1], rules


# ---- roff --------------------------------------------------------------------------------------

def roff(text, literal=False):
    """Text for a roff line: backslashes as \\e, non-ASCII as \\[uXXXX], option names' hyphens
    (every hyphen when `literal`) as \\-, and a leading . or ' made harmless by \\&."""
    out = []
    for c in text.replace("\\", "\\e"):
        out.append(c if ord(c) < 128 else f"\\[u{ord(c):04X}]")
    text = "".join(out)
    if literal:
        text = text.replace("-", "\\-")
    else:
        text = re.sub(r"(?<![\w-])--?[A-Za-z0-9][\w-]*", lambda m: m.group(0).replace("-", "\\-"), text)
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def quoted(text):
    """A macro argument: quotes doubled as \\(dq inside "..."."""
    return '"' + text.replace('"', "\\(dq") + '"'


def usage_roff(command, usage):
    words = [f"\\fB{PROGRAM}\\fR"] + ([f"\\fB{roff(command, True)}\\fR"] if command else [])
    for word in usage.split():
        m = re.fullmatch(r"(\[?)([A-Za-z_][\w-]*)(\.\.\.)?(\]?)", word)
        if not m:
            raise ShapeError(f"{PROGRAM} {command} --help: usage word {word!r} not understood")
        words.append(f"{m.group(1)}\\fI{roff(m.group(2), True)}\\fR{m.group(3) or ''}{m.group(4)}")
    return "\\%" + " ".join(words)


def option_roff(option, positional=False):
    if positional:
        head = f"\\fI{roff(option.names[0], True)}\\fR"
    else:
        head = ", ".join(f"\\fB\\%{roff(n, True)}\\fR" for n in option.names)
        if option.takes_value:
            head += f" \\fI{roff(option.type.split(':')[0], True)}\\fR"
    body = roff(option.description)
    notes = []
    if option.default:
        notes.append(f"default: \\fB{roff(option.default, True)}\\fR")
    if option.repeatable and "repeatable" not in option.description:
        notes.append("may be given more than once" if not positional else "several may be given")
    if option.required and not positional:
        notes.append("required")
    if notes:
        body += " (" + "; ".join(notes) + ")"
    return [".TP", head, body]


DESCRIPTION = [
    "zonewarden audits DNS zones the way a validating resolver will experience them, and says",
    "before users see SERVFAIL what will break, where, and why: lame name servers, servers that",
    "disagree, a broken chain of trust from the root to the zone's DNSKEY set, signatures outside",
    "their validity window. Every finding names its rule and the RCODE and RFC 8914 Extended DNS",
    "Error a validating resolver will return because of it.",
    ".PP",
    ".B zonewarden audit",
    "asks the zone's servers over the network;",
    ".B zonewarden check",
    "verifies a signed zone file before it is published, with the same rules, report formats and",
    "exit status.",
    ".B zonewarden report",
    "re-renders a saved result offline,",
    ".B zonewarden explain",
    "shows why a name fails (or resolves) at a validating resolver,",
    ".B zonewarden history",
    "reads the runs recorded with \\fB\\-\\-history\\fR (what is new, what was fixed and since when), and",
    ".B zonewarden rules",
    "lists the rules.",
]

# README.md ("Exit status") and docs/explain.md ("Exit status").
EXIT_STATUS = [
    ".PP",
    "For \\fBaudit\\fR, \\fBcheck\\fR and \\fBreport\\fR:",
    ".TP", "0", "No finding at or above \\fB\\-\\-fail\\-on\\fR (default \\fBerror\\fR).",
    ".TP", "1", "Findings at or above \\fB\\-\\-fail\\-on\\fR.",
    ".TP", "2",
    "The tool could not do its job (a bad argument, an unreadable file, a report that could not be",
    "written, standard output included), with a one-line reason on standard error; also when a",
    "finding says the audit is incomplete (\\fBinternal/*\\fR), whatever \\fB\\-\\-fail\\-on\\fR says,",
    "and after SIGINT or SIGTERM (the reports are still written).",
    ".PP",
    "For \\fBexplain\\fR:",
    ".TP", "0", "The name resolves (NOERROR or NXDOMAIN).",
    ".TP", "1", "A validating resolver fails (SERVFAIL).",
    ".TP", "2",
    "It could not tell (bad arguments, no server answered and no finding says why, or",
    "zonewarden's own trouble).",
    ".PP",
    "\\fBrules\\fR, \\fBhistory\\fR, \\fB\\-\\-help\\fR and \\fB\\-\\-version\\fR exit 0, or 2 with a one-line reason",
    "(an unknown rule id; a history file that is missing or not a history, an unknown run).",
]

ENVIRONMENT = [
    ".TP", ".B NO_COLOR",
    "When set, the text report and \\fBexplain\\fR's text output are not coloured on a terminal.",
]

SEE_ALSO = [
    ".BR ldns\\-verify\\-zone (1),",
    ".BR dnssec\\-verify (1),",
    ".BR kzonecheck (1),",
    ".BR named\\-checkzone (1)",
    ".PP",
    "\\fBzonewarden rules\\fR \\fIID\\fR prints a rule's page. The full documentation is in the",
    "source tree: README.md, docs/audit.md, docs/check.md, docs/explain.md, docs/policy.md,",
    "docs/findings.md, docs/ci.md, and one page per rule, docs/rules/\\fIAREA\\fR/\\fINAME\\fR.md,",
    "indexed in docs/rules/index.md. The HTML report (\\fB\\-\\-format html\\fR) includes the main",
    "sections of the page of each rule it reports.",
]


def man_page(top, commands, version, rules):
    name_line = re.sub(rf"^{PROGRAM}:\s*", "", top.description)
    date = ""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        date = time.strftime("%Y-%m-%d", time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"])))
    out = [
        f'.\\" Generated by man/gen_cli_docs.py from `{PROGRAM} --help`, each command\'s --help and',
        f'.\\" `{PROGRAM} rules`. Do not edit: rebuild.',
        f'.TH {PROGRAM.upper()} 1 {quoted(date)} {quoted(PROGRAM + " " + roff(version, True))} "User Commands"',
        ".nh",    # no hyphenation: option names and rule ids are copied from the page
        ".ad l",  # ragged right: long option names leave wide gaps in justified lines
        ".SH NAME",
        f"{PROGRAM} \\- {roff(name_line)}",
        ".SH SYNOPSIS",
        ".nf",
    ]
    for cmd in commands:
        out.append(usage_roff(cmd.name, cmd.usage))
    out.append(f"\\fB{PROGRAM}\\fR " + " | ".join(f"\\fB{roff(o.names[-1], True)}\\fR" for o in top.options))
    # The prose is written here, so it must keep up with the commands: a new one stops the build.
    described = set(re.findall(rf"^\.B {PROGRAM} (\S+)$", "\n".join(DESCRIPTION), re.M))
    if described != {c.name for c in commands}:
        raise ShapeError(f"DESCRIPTION in gen_cli_docs.py names the commands {sorted(described)}, "
                         f"{PROGRAM} --help lists {sorted(c.name for c in commands)}")
    out += [".fi", ".SH DESCRIPTION"] + DESCRIPTION
    for group, opts in top.groups:
        out += [".SH " + ("OPTIONS" if group == "Options" else roff(group.upper())),
                "These come before the command."]
        for o in opts:
            out += option_roff(o)
    out.append(".SH COMMANDS")
    for cmd in commands:
        out += [f".SS {roff(cmd.name, True)}", usage_roff(cmd.name, cmd.usage), ".PP", roff(cmd.description)]
        if cmd.positionals:
            out += [".PP", "Arguments:", ".RS"]
            for o in cmd.positionals:
                out += option_roff(o, positional=True)
            out.append(".RE")
        for group, opts in cmd.groups:
            out += [".PP", roff(group) + ":", ".RS"]
            for o in opts:
                out += option_roff(o)
            out.append(".RE")
    out += [".SH EXIT STATUS"] + EXIT_STATUS
    out += [".SH ENVIRONMENT"] + ENVIRONMENT
    out += [
        ".SH RULES",
        f"{PROGRAM} has {len(rules)} rules. Each is listed with its default severity (a policy",
        "profile can change it), the answer a validating resolver gives because of the fault (RCODE",
        "and RFC 8914 Extended DNS Error), and what it reads: \\fBlive\\fR (audit), \\fBzone\\-file\\fR",
        "(check) or \\fBboth\\fR.",
    ]
    for r in rules:
        out += [".TP", f"\\fB\\%{roff(r.id, True)}\\fR",
                f"({roff(r.severity)}; {roff(r.resolver)}; {roff(r.inputs, True)}) {roff(r.summary)}"]
    out += [".SH SEE ALSO"] + SEE_ALSO
    return "\n".join(out) + "\n"


# ---- bash --------------------------------------------------------------------------------------

def shell_word(word, what):
    if not re.fullmatch(r"[A-Za-z0-9_./:+=@%-]+", word):
        raise ShapeError(f"{what} {word!r} cannot be offered as a completion word")
    return word


def bash_completion(top, commands, rules):
    names = [shell_word(c.name, "command") for c in commands]
    top_options = [shell_word(n, "option") for o in top.options for n in o.names]
    out = [
        f"# bash completion for {PROGRAM}. Generated by man/gen_cli_docs.py from `{PROGRAM} --help`,",
        f"# each command's --help and `{PROGRAM} rules`. Do not edit: rebuild.",
        "",
        f"_{PROGRAM}() {{",
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev= command= i",
        "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}",
        "    # --option=value: bash splits at '=' (COMP_WORDBREAKS)",
        '    if [[ $cur == "=" ]]; then',
        "        cur=",
        '    elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then',
        "        prev=${COMP_WORDS[COMP_CWORD - 2]}",
        "    fi",
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        f"            {'|'.join(names)}) command=${{COMP_WORDS[i]}}; break ;;",
        "        esac",
        "    done",
        "    COMPREPLY=()",
        '    if [[ -z $command ]]; then',
        '        if [[ $cur == -* ]]; then',
        f'            mapfile -t COMPREPLY < <(compgen -W "{" ".join(top_options)}" -- "$cur")',
        "        else",
        f'            mapfile -t COMPREPLY < <(compgen -W "{" ".join(names)}" -- "$cur")',
        "        fi",
        "        return 0",
        "    fi",
        '    case "$command" in',
    ]
    rule_ids = " ".join(shell_word(r.id, "rule id") for r in rules)

    def files(directory=False):
        flag = "-d" if directory else "-f"
        return [f'            compopt -o filenames 2>/dev/null',
                f'            mapfile -t COMPREPLY < <(compgen {flag} -- "$cur")']

    for cmd in commands:
        options = [shell_word(n, "option") for o in cmd.options for n in o.names]
        out.append(f"    {cmd.name})")
        value_cases = []
        for o in cmd.options:
            if not o.takes_value:
                continue
            pattern = "|".join(o.names)
            body = []
            if o.choices and re.search(r"\bcomma-separated\b", o.description):
                # a list, text,json: complete its last item
                words = " ".join(shell_word(c, "value") for c in o.choices)
                body += ['            local prefix=',
                         '            [[ $cur == *,* ]] && prefix=${cur%,*},',
                         f'            mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "{words}" -- "${{cur##*,}}")']
            elif o.choices:
                words = " ".join(shell_word(c, "value") for c in o.choices)
                body.append(f'            mapfile -t COMPREPLY < <(compgen -W "{words}" -- "$cur")')
                if o.open_choices:
                    body += ['            compopt -o filenames 2>/dev/null',
                             '            mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")']
            elif o.directory:
                body += files(directory=True)
            elif o.files:
                body += files()
            value_cases.append((pattern, body))
        if value_cases:
            out.append('        case "$prev" in')
            for pattern, body in value_cases:
                out.append(f"        {pattern})")
                out += body or ["            :"]
                out.append("            return 0 ;;")
            out.append("        esac")
        out += [
            '        if [[ $cur == -* ]]; then',
            f'            mapfile -t COMPREPLY < <(compgen -W "{" ".join(options)}" -- "$cur")',
        ]
        positional = cmd.positionals[0] if cmd.positionals else None
        if positional and positional.rule_id:
            out += ["        else",
                    f'            mapfile -t COMPREPLY < <(compgen -W "{rule_ids}" -- "$cur")']
        elif positional and positional.files:
            out += ["        else"] + files()
        out += ["        fi", "        ;;"]
    out += [
        "    esac",
        "    return 0",
        "}",
        f"complete -F _{PROGRAM} {PROGRAM}",
    ]
    return "\n".join(out) + "\n"


# ---- zsh ---------------------------------------------------------------------------------------

def zsh_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def zsh_description(text):
    """An option's [explanation]: brackets and backslashes escaped."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def zsh_message(text):
    """A :message: field, which ends at the next unescaped colon."""
    return zsh_description(text).replace(":", "\\:")


def zsh_option_specs(options):
    specs = []
    for o in options:
        if o.names == ["-h", "--help"] or o.names == ["--help"]:
            exclusion = "(- *)"
        else:
            exclusion = "(" + " ".join(o.names) + ")" if not o.repeatable else ""
        star = "*" if o.repeatable else ""
        description = f"[{zsh_description(o.description)}]"
        if o.takes_value:
            message = zsh_message(o.type.split(":")[0].lower())
            if o.choices and o.open_choices:
                action = "{_files; compadd -- " + " ".join(o.choices) + "}"
            elif o.choices:
                action = "(" + " ".join(o.choices) + ")"
            elif o.directory:
                action = "_files -/"
            elif o.files:
                action = "_files"
            else:
                action = " "
            suffix = f":{message}:{action}"
        else:
            suffix = ""
        forms = []
        for n in o.names:
            if not o.takes_value:
                forms.append(n)
            elif n.startswith("--"):
                forms.append(n + "=")
            else:
                forms.append(n + "+")
        if len(forms) == 1:
            specs.append(zsh_quote(f"{exclusion}{star}{forms[0]}{description}{suffix}"))
        else:
            specs.append(zsh_quote(exclusion) +
                         "{" + ",".join(zsh_quote(star + f) for f in forms) + "}" +
                         zsh_quote(description + suffix))
    return specs


def zsh_positional_specs(cmd):
    specs = []
    for i, o in enumerate(cmd.positionals, 1):
        message = zsh_message(o.description)
        if o.rule_id:
            action = f"_{PROGRAM}_rule_ids"
        elif o.files:
            action = "_files"
        else:
            action = " "
        if o.repeatable:
            spec = f"*:{message}:{action}"  # any number of them
        else:
            spec = f"{i}{'' if o.required else ':'}:{message}:{action}"
        specs.append(zsh_quote(spec))
    return specs


def zsh_completion(top, commands, rules):
    out = [
        f"#compdef {PROGRAM}",
        f"# zsh completion for {PROGRAM}. Generated by man/gen_cli_docs.py from `{PROGRAM} --help`,",
        f"# each command's --help and `{PROGRAM} rules`. Do not edit: rebuild.",
        "",
        f"_{PROGRAM}_rule_ids() {{",
        "  local -a ids",
        "  ids=(",
    ]
    for r in rules:
        out.append("    " + zsh_quote(shell_word(r.id, "rule id").replace(":", "\\:") + ":" + r.summary))
    out += [
        "  )",
        "  _describe -t rules 'rule id' ids",
        "}",
        "",
        f"_{PROGRAM}() {{",
        "  local curcontext=$curcontext state line ret=1",
        "  typeset -A opt_args",
        "  _arguments -C \\",
    ]
    for spec in zsh_option_specs(top.options):
        out.append(f"    {spec} \\")
    out += [
        "    '1: :->command' \\",
        "    '*:: :->argument' && ret=0",
        "  case $state in",
        "    command)",
        "      local -a commands",
        "      commands=(",
    ]
    for cmd in commands:
        out.append("        " + zsh_quote(shell_word(cmd.name, "command") + ":" + cmd.description))
    out += [
        "      )",
        "      _describe -t commands 'zonewarden command' commands && ret=0",
        "      ;;",
        "    argument)",
        "      curcontext=${curcontext%:*:*}:zonewarden-$line[1]:",
        "      case $line[1] in",
    ]
    for cmd in commands:
        out.append(f"        {cmd.name})")
        out.append("          _arguments -s \\")
        for spec in zsh_option_specs(cmd.options) + zsh_positional_specs(cmd):
            out.append(f"            {spec} \\")
        out[-1] = out[-1][:-2] + " && ret=0"
        out.append("          ;;")
    out += [
        "      esac",
        "      ;;",
        "  esac",
        "  return ret",
        "}",
        "",
        f'_{PROGRAM} "$@"',
    ]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("man", "bash", "zsh"):
        sys.exit(__doc__)
    binary, kind, output = sys.argv[1:]
    try:
        top, commands, version, rules = read_cli(binary)
        if kind == "man":
            text = man_page(top, commands, version, rules)
        elif kind == "bash":
            text = bash_completion(top, commands, rules)
        else:
            text = zsh_completion(top, commands, rules)
    except ShapeError as e:
        print(f"gen_cli_docs.py: {e}", file=sys.stderr)
        return 1
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
