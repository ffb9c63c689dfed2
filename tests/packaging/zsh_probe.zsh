# Drives an interactive zsh on a pseudo-terminal (zsh/zpty) with the completion system loaded from
# DIR and prints, for each LINE, one line holding every word completion offered for LINE<TAB>,
# each compadd call as <ZWHIT word word...>. Used by test_install.py --zsh.
# usage: zsh -f zsh_probe.zsh DIR LINE...
zmodload zsh/zpty || exit 3
dir=$1; shift
zpty z zsh -f -i || exit 3
zpty -w z "PS1='' PS2='' RPS1=''; unsetopt beep; fpath=(${(q)dir} \$fpath)"
zpty -w z 'autoload -Uz compinit && compinit -u -D; zonewarden() { : }'
zpty -w z 'zstyle ":completion:*" menu no; zstyle ":completion:*" list-prompt ""; LISTMAX=100000'
# Every word offered passes through compadd: record it.
zpty -w z 'compadd() { local -a __h; builtin compadd -O __h "$@"; (( $#__h )) && print -rn -- "<ZWHIT ${(j: :)__h}>"; builtin compadd "$@" }'
# TAB completes, then says it has finished: zle drops a completion listing when more input is
# already waiting, so the next keys are sent only after this marker.
zpty -w z 'zw-complete() { zle complete-word; print -rn -- "<ZW""DONE>" }; zle -N zw-complete; bindkey "^I" zw-complete'
# The markers are printed by commands whose echo differs from their output (ZW${}END).
zpty -w z 'print -r ZW${}END'
zpty -r z out '*ZWEND*' || exit 4
for line in "$@"; do
  zpty -n -w z "$line"$'\t'
  zpty -r z out '*<ZWDONE>*' || exit 5
  hits=$out
  zpty -n -w z $'\C-u'
  zpty -w z 'print -r ZW${}END'
  zpty -r z out '*ZWEND*' || exit 5
  print -r -- "${hits//[$'\r\n']/ }"
done
zpty -d z
