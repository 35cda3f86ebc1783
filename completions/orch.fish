# fish completion for orch. Install: cp completions/orch.fish ~/.config/fish/completions/orch.fish
# Command words, live agent names, state words and paths come from `orch __complete`, the same
# completer as the REPL.
function __orch_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l pass
    set -l words
    while set -q tokens[1]
        switch $tokens[1]
            case -L --socket-name -S --socket-path -s --session
                set -a pass $tokens[1] $tokens[2]
                set -e tokens[1..2]
            case --no-watch --no-color
                set -e tokens[1]
            case --config --format
                set -e tokens[1..2]
            case '*'
                set -a words $tokens[1]
                set -e tokens[1]
        end
    end
    set -l line (string join ' ' -- $words)
    test -n "$line"; and set line "$line "
    orch $pass __complete --unquoted "$line"(commandline -ct) 2>/dev/null
end
complete -c orch -f -a '(__orch_complete)'
complete -c orch -s L -l socket-name -r -d 'tmux socket name'
complete -c orch -s S -l socket-path -r -F -d 'tmux socket path'
complete -c orch -s s -l session -r -d 'tmux session'
complete -c orch -l no-watch -d 'no watcher, no notices'
complete -c orch -l no-color -d 'no colours'
complete -c orch -l config -r -F -d 'config file instead of init.orch'
complete -c orch -l format -r -f -a 'text json' -d 'output format'
complete -c orch -s c -r -d 'run these commands'
complete -c orch -l help -d 'show help'
complete -c orch -l version -d 'show the version'
