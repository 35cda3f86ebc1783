# bash completion for orch. Install: cp completions/orch.bash /etc/bash_completion.d/orch
# Options come from orch's command line; command words, agent names (live, from the session),
# state words and paths come from orch itself (`orch __complete`), the same completer as the REPL.
_orch() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local options="-L --socket-name -S --socket-path -s --session --no-watch --no-color --config --format -c --help --version"
    case $prev in
        -L|--socket-name|-s|--session) return 0 ;;
        -S|--socket-path|--config) COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
        --format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return 0 ;;
    esac
    # orch's own options before the command, passed on so agents come from the right server.
    local -a pass=() words=()
    local i=1
    while ((i < COMP_CWORD)); do
        case ${COMP_WORDS[i]} in
            -L|--socket-name|-S|--socket-path|-s|--session) pass+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}"); ((i += 2)) ;;
            --no-watch|--no-color) ((i += 1)) ;;
            --config|--format) ((i += 2)) ;;
            *) words+=("${COMP_WORDS[i]}"); ((i += 1)) ;;
        esac
    done
    if ((${#words[@]} == 0)) && [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return 0
    fi
    local line="${words[*]}"
    [[ -n $line ]] && line+=" "
    local IFS=$'\n'
    COMPREPLY=($(orch "${pass[@]}" __complete "$line$cur" 2>/dev/null))
    # A folder completes without a trailing space, so the next Tab goes inside it.
    if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == */ ]]; then compopt -o nospace 2>/dev/null; fi
    return 0
}
complete -F _orch orch
