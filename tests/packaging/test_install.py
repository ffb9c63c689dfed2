#!/usr/bin/env python3
"""`meson install` into a temporary DESTDIR, then what a Debian user expects of what it put there.

usage: test_install.py MESON BUILD_DIR BINDIR MANDIR DATADIR [--zsh]

BINDIR, MANDIR and DATADIR are absolute (the prefix joined with meson's options, from
tests/meson.build). Checks, each failing with one line on stderr:
  - BINDIR/zonewarden runs (--version);
  - MANDIR/man1/zonewarden.1 renders with `groff -man -ww` without a warning and names every
    command of `zonewarden --help`, every option of each command's --help and every rule id
    `zonewarden rules` lists;
  - DATADIR/bash-completion/completions/zonewarden, sourced in `bash --norc`, registers
    `complete -F` for zonewarden and offers every command, every option of every command, the
    rule ids after `rules`, and for an option whose value it completes only words its help names.
With --zsh, DATADIR/zsh/vendor-completions/_zonewarden instead: `zsh -n` parses it, and in an
interactive zsh with compinit (zsh_probe.zsh, on a pseudo-terminal) it offers the same as bash.
Exit 77 (skipped) when groff, bash or zsh is missing; never passes without checking.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


class Failure(Exception):
    pass


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kwargs)


def install(meson, build_dir, dest):
    proc = run([meson, "install", "-C", build_dir, "--destdir", dest, "--no-rebuild", "--quiet"])
    if proc.returncode != 0:
        tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or ["?"]
        raise Failure(f"meson install --destdir failed ({proc.returncode}): {tail[0]}")


def installed(dest, path):
    """`path` (absolute, under the prefix) inside `dest`; it must be a non-empty file."""
    full = os.path.join(dest, path.lstrip("/"))
    if not os.path.isfile(full) or os.path.getsize(full) == 0:
        raise Failure(f"not installed: {path}")
    return full


def help_of(binary, *command):
    proc = run([binary, *command, "--help"])
    if proc.returncode != 0:
        raise Failure(f"zonewarden {' '.join(command)} --help: exit status {proc.returncode}")
    return proc.stdout


def commands_of(binary):
    text = help_of(binary)
    if "\nSubcommands:\n" not in text:
        raise Failure("zonewarden --help lists no Subcommands")
    names = []
    for line in text.split("\nSubcommands:\n", 1)[1].splitlines():
        if not line.startswith("  "):
            break
        names.append(line.split()[0])
    if not names:
        raise Failure("zonewarden --help lists no command")
    return names


def options_of(binary, command):
    """{option name: help line} for every -x and --xyz on an option line of the command's help."""
    options = {}
    for line in help_of(binary, command).splitlines():
        m = re.match(r"  (-[^ ]+)", line)
        if m:
            for name in m.group(1).split(","):
                options[name] = line
    if "--help" not in options:
        raise Failure(f"zonewarden {command} --help: no option lines found")
    return options


def rule_ids_of(binary):
    proc = run([binary, "rules"])
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or not lines or not lines[0].startswith("RULE"):
        raise Failure("zonewarden rules: no RULE table")
    ids = [line.split()[0] for line in lines[1:] if line.strip()]
    if not ids:
        raise Failure("zonewarden rules: no rule listed")
    return ids


def check_binary(binary):
    proc = run([binary, "--version"])
    if proc.returncode != 0 or not proc.stdout.startswith("zonewarden "):
        raise Failure(f"{binary} --version: exit status {proc.returncode}, output {proc.stdout.strip()[:40]!r}")


def check_man(page, binary, commands, rule_ids):
    proc = run(["groff", "-man", "-Tutf8", "-ww", "-z", page])
    if proc.returncode != 0 or proc.stderr.strip():
        first = proc.stderr.strip().splitlines()[:1] or [f"exit status {proc.returncode}"]
        raise Failure(f"groff -ww warns about the man page: {first[0]}")
    # Plain text, wide lines, no hyphenation surprises: overstrikes and escapes removed.
    proc = run(["groff", "-man", "-Tascii", "-rLL=250n", page])
    if proc.returncode != 0:
        raise Failure(f"groff -Tascii: exit status {proc.returncode}")
    text = re.sub(r".\x08", "", re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout))
    words = set(re.findall(r"[\w./-]+", text))
    missing = [f"command {c}" for c in commands if not re.search(rf"^\s+zonewarden {re.escape(c)}\b", text, re.M)]
    for command in commands:
        missing += [f"{command} {o}" for o in options_of(binary, command) if o not in words]
    missing += [f"rule {r}" for r in rule_ids if r not in words]
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS", "RULES", "SEE ALSO"):
        if not re.search(rf"^{section}$", text, re.M):
            missing.append(f"section {section}")
    if missing:
        raise Failure(f"the man page lacks {len(missing)}: {', '.join(missing[:8])}")


BASH_PROBE = r"""
source "$1" || exit 3
complete -p zonewarden || exit 4
shift
fn=$(complete -p zonewarden | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
[[ -n $fn ]] || exit 5
# Each remaining argument is one command line ending in the word being completed (maybe empty),
# words separated by spaces; prints its completions on one line.
for line in "$@"; do
    read -r -a COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line COMP_POINT=${#line}
    COMPREPLY=()
    "$fn" zonewarden "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    echo "${COMPREPLY[*]}"
done
"""


def completion_queries(binary, commands):
    """The command lines to complete (each ending in the word being completed, maybe empty) and
    the options whose values are completed: every --option of a help line with a TYPE."""
    options = {c: options_of(binary, c) for c in commands}
    values = []
    for command, opts in options.items():
        for name, help_line in opts.items():
            if name.startswith("--") and re.match(rf"  \S*{re.escape(name)} [A-Z]", help_line):
                values.append((command, name, help_line))
    lines = ["zonewarden "] + [f"zonewarden {c} -" for c in commands] + [f"zonewarden {c} {n} " for c, n, _ in values]
    if "rules" in commands:
        lines.append("zonewarden rules ")
    return lines, options, values


def completion_problems(shell, replies, commands, options, values, rule_ids):
    """What the completion `replies` ({line: set of words}) lack or offer wrongly."""
    problems = [f"command {c}" for c in commands if c not in replies["zonewarden "]]
    for command, opts in options.items():
        problems += [f"{command} {o}" for o in opts if o not in replies[f"zonewarden {command} -"]]
    for command, name, help_line in values:
        # A completed value must be a word of the option's help (its list of values), or a file.
        for value in replies[f"zonewarden {command} {name} "]:
            if not re.search(rf"\b{re.escape(value)}\b", help_line) and not os.path.exists(value):
                problems.append(f"{command} {name} offers {value!r}")
    if "rules" in commands:
        problems += [f"rules {r}" for r in rule_ids if r not in replies["zonewarden rules "]]
    if problems:
        raise Failure(f"{shell} completion: {len(problems)} missing or wrong: {', '.join(problems[:8])}")


def check_bash(script, binary, commands, rule_ids):
    bash = shutil.which("bash")
    if bash is None:
        raise Failure("SKIP: bash not found")
    lines, options, values = completion_queries(binary, commands)
    proc = run([bash, "--norc", "--noprofile", "-c", BASH_PROBE, "probe", script, *lines])
    if proc.returncode != 0:
        raise Failure(f"bash completion: the probe failed ({proc.returncode}): {proc.stderr.strip()[:100]}")
    out = proc.stdout.splitlines()
    if not out or "complete -F" not in out[0] or not out[0].rstrip().endswith(" zonewarden"):
        raise Failure("bash completion: `complete -p zonewarden` shows no -F function")
    if len(out) != len(lines) + 1:
        raise Failure("bash completion: the probe printed fewer lines than asked")
    replies = dict(zip(lines, (set(o.split()) for o in out[1:])))
    completion_problems("bash", replies, commands, options, values, rule_ids)


def check_zsh(script, binary, commands, rule_ids):
    zsh = shutil.which("zsh")
    if zsh is None:
        raise Failure("SKIP: zsh not found (Debian: zsh)")
    with open(script, encoding="utf-8") as f:
        if f.readline().strip() != "#compdef zonewarden":
            raise Failure("zsh completion: the first line is not '#compdef zonewarden'")
    proc = run([zsh, "-n", script])
    if proc.returncode != 0 or proc.stderr.strip():
        raise Failure(f"zsh -n: {proc.stderr.strip()[:100] or proc.returncode}")
    # Completion itself, in an interactive zsh on a pseudo-terminal with compinit.
    lines, options, values = completion_queries(binary, commands)
    probe = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zsh_probe.zsh")
    try:
        proc = run([zsh, "-f", probe, os.path.dirname(script), *lines])
    except subprocess.TimeoutExpired:
        raise Failure("zsh completion: the probe timed out")
    out = proc.stdout.splitlines()
    if proc.returncode != 0 or len(out) != len(lines):
        raise Failure(f"zsh completion: the probe failed ({proc.returncode}, {len(out)} of {len(lines)} lines)")
    replies = {line: {w for hit in re.findall(r"<ZWHIT ([^>]*)>", o) for w in hit.split()}
               for line, o in zip(lines, out)}
    completion_problems("zsh", replies, commands, options, values, rule_ids)


def main():
    if len(sys.argv) not in (6, 7) or (len(sys.argv) == 7 and sys.argv[6] != "--zsh"):
        sys.exit(__doc__)
    meson, build_dir, bindir, mandir, datadir = sys.argv[1:6]
    zsh_only = len(sys.argv) == 7
    try:
        if zsh_only and shutil.which("zsh") is None:
            raise Failure("SKIP: zsh not found (Debian: zsh)")
        if not zsh_only and shutil.which("groff") is None:
            raise Failure("SKIP: groff not found (Debian: groff-base)")
        with tempfile.TemporaryDirectory(prefix="zw-install-") as dest:
            install(meson, build_dir, dest)
            binary = installed(dest, f"{bindir}/zonewarden")
            check_binary(binary)
            commands = commands_of(binary)
            rule_ids = rule_ids_of(binary)
            if zsh_only:
                check_zsh(installed(dest, f"{datadir}/zsh/vendor-completions/_zonewarden"), binary, commands, rule_ids)
                print(f"ok: the zsh completion parses and completes {len(commands)} commands, {len(rule_ids)} rules")
                return 0
            check_man(installed(dest, f"{mandir}/man1/zonewarden.1"), binary, commands, rule_ids)
            check_bash(installed(dest, f"{datadir}/bash-completion/completions/zonewarden"), binary, commands,
                       rule_ids)
            print(f"ok: binary, man page and bash completion: {len(commands)} commands, {len(rule_ids)} rules")
    except Failure as e:
        message = str(e)
        if message.startswith("SKIP: "):
            print(f"test_install: skipped: {message[6:]}")
            return SKIP
        print(f"test_install: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
