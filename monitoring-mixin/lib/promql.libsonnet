// Helpers that turn _config values into PromQL and into the words of descriptions.
{
  // `metric{m1, m2, …}` from the non-empty matchers; the bare name when none is left, so an
  // empty selector adds nothing to the expression.
  series(metric, matchers=[])::
    local used = std.filter(function(m) m != '', matchers);
    if used == [] then metric else metric + '{' + std.join(', ', used) + '}',

  // A Prometheus duration of one unit in words: '5m' → '5 minutes', '1h' → '1 hour'.
  words(duration)::
    local units = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' };
    local unit = duration[std.length(duration) - 1];
    local count = std.parseInt(std.substr(duration, 0, std.length(duration) - 1));
    assert std.objectHas(units, unit) : 'not a one-unit duration: ' + duration;
    '%d %s%s' % [count, units[unit], if count == 1 then '' else 's'],

  // Seconds in the largest whole unit up to hours: 3600 → '1h', 1800 → '30m', 86400 → '24h'.
  short(seconds)::
    if seconds % 3600 == 0 then '%dh' % (seconds / 3600)
    else if seconds % 60 == 0 then '%dm' % (seconds / 60)
    else '%ds' % seconds,

  // A text block as one line, the way YAML's `>-` folds it: lines joined by spaces.
  folded(text):: std.join(' ', std.filter(function(l) l != '', std.split(text, '\n'))),

  // A Prometheus duration of one unit in seconds: '5m' → 300, '1d' → 86400.
  seconds(duration)::
    local units = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    local unit = duration[std.length(duration) - 1];
    assert std.objectHas(units, unit) : 'not a one-unit duration: ' + duration;
    std.parseInt(std.substr(duration, 0, std.length(duration) - 1)) * units[unit],
}
