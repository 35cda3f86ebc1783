#compdef orch
# zsh completion for orch. Install: cp completions/orch.zsh "${fpath[1]}/_orch"
# Command words, live agent names, state words and paths come from `orch __complete`, the same
# completer as the REPL; orch's own options are listed here.
_orch() {
    local -a pass candidates  # never `words`: that is zsh's own array of the command line
    local i=2
    while (( i < CURRENT )); do
        case ${words[i]} in
            -L|--socket-name|-S|--socket-path|-s|--session) pass+=(${words[i]} ${words[i+1]}); (( i += 2 )) ;;
            --no-watch|--no-color) (( i += 1 )) ;;
            --config|--format) (( i += 2 )) ;;
            *) break ;;
        esac
    done
    case ${words[CURRENT-1]} in
        --format) compadd text json; return ;;
        -S|--socket-path|--config) _files; return ;;
        -L|--socket-name|-s|--session) return ;;
    esac
    if (( i == CURRENT )) && [[ ${words[CURRENT]} == -* ]]; then
        compadd -- -L --socket-name -S --socket-path -s --session --no-watch --no-color --config --format -c --help --version
        return
    fi
    local line="${(j: :)words[i,CURRENT]}"
    candidates=("${(@f)$(orch $pass __complete --unquoted "$line" 2>/dev/null)}")
    candidates=(${candidates:#})
    compadd -- $candidates
}
_orch "$@"
