function __orch_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __orch_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __orch_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __orch_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __orch_parse_tokens -S
    set -l unparsed_tokens (__orch_tokens -pc)
    switch $unparsed_tokens[1]
    case 'orch'
        __orch_parse_subcommand -r 1 'L/socket-name=' 'S/socket-path=' 's/session=' 'no-watch' 'no-color' 'config=' 'format=' 'c=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __orch_parse_subcommand -r 1 'version'
        end
    end
end

function __orch_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __orch_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __orch_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __orch_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__orch_tokens -p)
    if test -z "$(__orch_tokens -t)"
        set -l index (count (__orch_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'orch' -f
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" L socket-name' -s 'L' -l 'socket-name' -d 'tmux socket name, as tmux -L.' -rfka ''
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" S socket-path' -s 'S' -l 'socket-path' -d 'tmux socket path, as tmux -S.' -rfka ''
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" s session' -s 's' -l 'session' -d 'tmux session (default: $ORCH_SESSION, the config\'s, moana-orchestration, or the only one).' -rfka ''
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" no-watch' -l 'no-watch' -d 'Do not watch agents for notices.'
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" no-color' -l 'no-color' -d 'No colours (NO_COLOR is honoured too).'
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" config' -l 'config' -d 'Run this file at start instead of ~/.config/orch/init.orch.' -rfka ''
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" format' -l 'format' -d 'Output of status, agents, queue list and log: text or json.' -rfka ''
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" c' -s 'c' -d 'Run these commands (separated by ; or newlines) and exit.' -rfka ''
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" version' -l 'version' -d 'Show the version.'
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'orch' -n '__orch_should_offer_completions_for_positional "orch" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'orch' -n '__orch_should_offer_completions_for_flags_or_options "orch help" version' -l 'version' -d 'Show the version.'
