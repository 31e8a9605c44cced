// Plain-jsonnet builders for the dashboard's panels (grafonnet is not used: no dependency to
// vendor). Each panel keeps its size hidden (`size::`) until layout() gives it an id and a place.
{
  datasource:: { type: 'prometheus', uid: '${datasource}' },

  target(expr, legend='__auto', ref='A', instant=false, format='time_series', exemplar=false)::
    {
      datasource: $.datasource,
      refId: ref,
      expr: expr,
      legendFormat: legend,
      range: !instant,
      instant: instant,
      format: format,
      editorMode: 'code',
    }
    // The sync_job_id exemplars, linked to the exporter's job page by the data source.
    + (if exemplar then { exemplar: true } else {}),

  // [expr, legend] pairs → targets A, B, C, …
  targets(pairs, exemplar=false)::
    std.mapWithIndex(
      function(i, pair) $.target(pair[0], pair[1], ref=std.char(std.codepoint('A') + i), exemplar=exemplar),
      pairs
    ),

  // [value or null, colour] steps, the first with null (the base).
  thresholds(steps):: {
    mode: 'absolute',
    steps: [{ value: step[0], color: step[1] } for step in steps],
  },

  panel(kind,
        title,
        description,
        targets,
        width,
        height,
        unit='short',
        custom=null,
        options=null,
        overrides=null,
        thresholds=null,
        mappings=null,
        transformations=null,
        extra={})::
    {
      type: kind,
      title: title,
      description: description,
      datasource: $.datasource,
      targets: targets,
      fieldConfig: {
        defaults: { unit: unit }
                  + (if custom != null then { custom: custom } else {})
                  + (if thresholds != null then { thresholds: thresholds } else {})
                  + (if mappings != null then { mappings: mappings } else {}),
        overrides: if overrides == null then [] else overrides,
      },
      options: if options == null then {} else options,
      size:: [width, height],
    }
    + (if transformations != null && transformations != [] then { transformations: transformations } else {})
    + extra,

  timeseries(title,
             description,
             targets,
             width=12,
             height=8,
             unit='short',
             stack=false,
             bars=false,
             thresholds=null,
             overrides=null)::
    $.panel('timeseries', title, description, targets, width, height, unit, custom={
      drawStyle: if bars then 'bars' else 'line',
      lineWidth: 1,
      fillOpacity: if stack || bars then 20 else 0,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: if stack then 'normal' else 'none', group: 'A' },
      thresholdsStyle: { mode: if thresholds != null then 'line' else 'off' },
    }, options={
      legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] },
      tooltip: { mode: 'multi', sort: 'desc' },
    }, overrides=overrides, thresholds=thresholds),

  stat(title, description, targets, width=4, height=4, unit='short', thresholds=null, mappings=null)::
    $.panel('stat', title, description, targets, width, height, unit, options={
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'area',
      justifyMode: 'auto',
      textMode: 'auto',
      orientation: 'auto',
    }, thresholds=if thresholds == null then $.thresholds([[null, 'green']]) else thresholds, mappings=mappings),

  // An instant query shown as a table, without the `hide` columns, `rename`d.
  table(title, description, expr, width, height, hide, rename, unit='short')::
    $.panel('table',
            title,
            description,
            [$.target(expr, instant=true, format='table')],
            width,
            height,
            unit,
            custom={ align: 'auto', cellOptions: { type: 'auto' } },
            options={
              showHeader: true,
              cellHeight: 'sm',
              footer: { show: false, reducer: ['sum'] },
            },
            transformations=[{
              id: 'organize',
              options: { excludeByName: { [name]: true for name in hide }, renameByName: rename, indexByName: {} },
            }]),

  // [{ title, panels }] → the row headers and their panels with ids and gridPos, left to right,
  // wrapping at 24 columns.
  layout(rows)::
    local place(state, p) =
      local wrap = state.x + p.size[0] > 24;
      local x = if wrap then 0 else state.x;
      local y = if wrap then state.y + state.rowHeight else state.y;
      local rowHeight = if wrap then 0 else state.rowHeight;
      state {
        panels+: [p { id: state.id, gridPos: { x: x, y: y, w: p.size[0], h: p.size[1] } }],
        id: state.id + 1,
        x: x + p.size[0],
        y: y,
        rowHeight: std.max(rowHeight, p.size[1]),
      };
    local placeRow(state, row) =
      local header = {
        type: 'row',
        title: row.title,
        id: state.id,
        collapsed: false,
        panels: [],
        gridPos: { x: 0, y: state.y, w: 24, h: 1 },
      };
      local placed = std.foldl(place, row.panels, {
        panels: state.panels + [header],
        id: state.id + 1,
        y: state.y + 1,
        x: 0,
        rowHeight: 0,
      });
      { panels: placed.panels, id: placed.id, y: placed.y + placed.rowHeight };
    std.foldl(placeRow, rows, { panels: [], id: 1, y: 0 }).panels,
}
