function __cckm_exporter_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __cckm_exporter_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __cckm_exporter_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __cckm_exporter_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __cckm_exporter_parse_tokens -S
    set -l unparsed_tokens (__cckm_exporter_tokens -pc)
    switch $unparsed_tokens[1]
    case 'cckm_exporter'
        __cckm_exporter_parse_subcommand 0 'config.file=' 'cm.url=' 'cm.name=' 'cm.username=' 'cm.domain=' 'cm.auth-domain=' 'cm.password-file=' 'cm.refresh-token-file=' 'cm.ca-file=' 'cm.insecure-skip-verify' 'cm.client-cert-file=' 'cm.client-key-file=' 'cm.client-key-password-file=' 'cm.auth-grant=' 'cm.clouds=' 'cm.page-size=' 'poll.interval=' 'poll.timeout=' 'poll.full-resync-interval=' 'cm.max-statuses=' 'cm.max-region-series=' 'cm.max-jobs=' 'cm.max-response-bytes=' 'poll.walk-timeout=' 'web.listen-address=' 'web.telemetry-path=' 'web.config.file=' 'web.max-connections=' 'web.max-connections-per-ip=' 'web.connection-timeout=' 'web.request-header-timeout=' 'web.max-request-bytes=' 'log.level=' 'log.format=' 'shard=' 'total-shards=' 'shard.from-pod-name=' 'demo' 'config.check' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __cckm_exporter_parse_subcommand -r 1 
        end
    end
end

function __cckm_exporter_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __cckm_exporter_parse_subcommand -S -a positional_count
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

function __cckm_exporter_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __cckm_exporter_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__cckm_exporter_tokens -p)
    if test -z "$(__cckm_exporter_tokens -t)"
        set -l index (count (__cckm_exporter_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'cckm_exporter' -f
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" config.file' -l 'config.file' -d 'YAML file with several targets (see README). Exclusive with --cm.*.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.url' -l 'cm.url' -d 'Single target: CipherTrust Manager base URL, e.g. https://cm.example.com.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.name' -l 'cm.name' -d 'Value of the cm label (default: the URL\'s host).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.username' -l 'cm.username' -d 'User to log in as.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.domain' -l 'cm.domain' -d 'Login domain (optional).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.auth-domain' -l 'cm.auth-domain' -d 'Domain the user lives in, when not the login domain (optional; sent as auth_domain).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.password-file' -l 'cm.password-file' -d 'File holding the password (else env CCKM_PASSWORD).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.refresh-token-file' -l 'cm.refresh-token-file' -d 'File holding a refresh token (else env CCKM_REFRESH_TOKEN).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.ca-file' -l 'cm.ca-file' -d 'PEM file of the CA that signed the CM\'s certificate.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.insecure-skip-verify' -l 'cm.insecure-skip-verify' -d 'Do not verify the CM\'s TLS certificate (logged as a warning).'
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.client-cert-file' -l 'cm.client-cert-file' -d 'PEM client certificate presented to CM on every TLS connection (re-read when it changes).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.client-key-file' -l 'cm.client-key-file' -d 'PEM private key of --cm.client-cert-file.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.client-key-password-file' -l 'cm.client-key-password-file' -d 'File holding the password of an encrypted --cm.client-key-file.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.auth-grant' -l 'cm.auth-grant' -d 'password, refresh_token, client_credential or user_certificate (default: client_credential with a client certificate and no password or refresh token; else the refresh token first, then the password).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.clouds' -l 'cm.clouds' -d 'Comma-separated listings to poll: aws, aws-custom-key-stores, azure, azure-certificates, azure-secrets, google, oci, sap, sfdc-keys, sfdc-certificates.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.page-size' -l 'cm.page-size' -d 'Jobs asked for per page.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" poll.interval' -l 'poll.interval' -d 'Time between polls of a CM.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" poll.timeout' -l 'poll.timeout' -d 'Budget of one poll of a listing (pages, retries, logins); default 20s, or the poll interval when that is shorter.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" poll.full-resync-interval' -l 'poll.full-resync-interval' -d 'Time between consistency checks of each listing\'s totals (a mismatch starts a complete walk); polls in between fetch only new and running jobs. 0: every poll lists everything.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.max-statuses' -l 'cm.max-statuses' -d 'Distinct overall_status values per listing (the documented four and other included); beyond it new ones fold into status="other".' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.max-region-series' -l 'cm.max-region-series' -d 'cckm_sync_region_in_progress series per listing (cckm_sync_regions_in_progress stays exact).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.max-jobs' -l 'cm.max-jobs' -d 'Jobs held per listing; a complete walk ends there.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" cm.max-response-bytes' -l 'cm.max-response-bytes' -d 'Largest answer from CM (after decompression); a larger one fails the poll (reason decode).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" poll.walk-timeout' -l 'poll.walk-timeout' -d 'Budget of one complete walk of a listing (not bound by --poll.timeout; a longer walk fails and starts again).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" web.listen-address' -l 'web.listen-address' -d 'Address to serve on: :7256, 127.0.0.1:7256 or [::1]:7256.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" web.telemetry-path' -l 'web.telemetry-path' -d 'Path of the metrics.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" web.config.file' -l 'web.config.file' -d 'Exporter-toolkit web configuration (TLS, basic auth).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" web.max-connections' -l 'web.max-connections' -d 'Concurrent connections served; further ones wait in the kernel backlog until one closes.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" web.max-connections-per-ip' -l 'web.max-connections-per-ip' -d 'Concurrent connections from one address (0: no limit).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" web.connection-timeout' -l 'web.connection-timeout' -d 'Idle or slow connections are closed after this long.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" web.request-header-timeout' -l 'web.request-header-timeout' -d 'Time a request has to arrive whole (from the connection\'s start, or the previous answer on a kept-alive one); slower or idle connections are closed.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" web.max-request-bytes' -l 'web.max-request-bytes' -d 'Bytes a request may use for its line, headers and body; larger gets 413/431.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" log.level' -l 'log.level' -d 'debug, info, warn or error.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" log.format' -l 'log.format' -d 'logfmt or json.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" shard' -l 'shard' -d 'This replica\'s shard ordinal, 0 to --total-shards - 1: it polls only the CMs that shard owns (rendezvous hashing of the CM\'s name).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" total-shards' -l 'total-shards' -d 'Replicas the configured CMs are split among (default 1: this one polls every CM).' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" shard.from-pod-name' -l 'shard.from-pod-name' -d 'Take the shard ordinal from a StatefulSet pod name (cckm-exporter-3 is shard 3), e.g. $(POD_NAME) from the downward API.' -rfka ''
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" demo' -l 'demo' -d 'Run against the built-in CipherTrust Manager simulator; no CM needed.'
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" config.check' -l 'config.check' -d 'Validate the configuration, print what would be polled, and exit.'
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" version' -l 'version' -d 'Print the version and exit.'
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_flags_or_options "cckm_exporter" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cckm_exporter' -n '__cckm_exporter_should_offer_completions_for_positional "cckm_exporter" -eq 1' -fa 'help' -d 'Show subcommand help information.'
