/** The page's stylesheet: system fonts only, nothing fetched. */
export const STYLE = `
:root {
  --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #e3e6eb;
  --pass: #1a7f37; --pass-bg: #e6f4ea; --fail: #c62828; --fail-bg: #fdecea;
  --skip: #6b7280; --skip-bg: #eef0f3; --unfin: #b26a00; --unfin-bg: #fff4e0;
  --out: #2f5fd0; --in: #0f7b6c; --server: #3b3f4a;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header.run { background: var(--card); border-bottom: 1px solid var(--line); padding: 18px 28px 14px; border-top: 5px solid var(--pass); }
header.run.verdict-failed { border-top-color: var(--fail); }
header.run.verdict-interrupted { border-top-color: var(--unfin); }
.title-row { display: flex; align-items: center; gap: 24px; flex-wrap: wrap; }
h1 { font-size: 20px; margin: 0; flex: 1; }
.totals { display: flex; gap: 10px; }
.total { min-width: 86px; padding: 6px 12px; border-radius: 8px; text-align: center; background: var(--skip-bg); }
.total b { display: block; font-size: 22px; line-height: 1.1; }
.total span { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.total.passed { background: var(--pass-bg); color: var(--pass); }
.total.failed { background: var(--fail-bg); color: var(--fail); }
.total.unfinished { background: var(--unfin-bg); color: var(--unfin); }
.facts { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 10px 0 0; color: var(--muted); }
.facts dt { font-weight: 600; }
.facts dt::after { content: ":"; }
.facts dd { margin: 0 0 0 -18px; color: var(--ink); }
.banner { margin-top: 12px; padding: 10px 14px; border-radius: 6px; background: var(--unfin-bg); color: var(--unfin); font-weight: 600; border: 1px solid #f3c98b; }
nav.filters { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: 10px; align-items: center; padding: 10px 28px; background: rgba(246,247,249,.96); border-bottom: 1px solid var(--line); }
.toggles { display: flex; gap: 6px; }
button, select, input { font: inherit; }
button.toggle { border: 1px solid var(--line); background: var(--card); border-radius: 999px; padding: 3px 12px; cursor: pointer; color: var(--muted); }
button.toggle[aria-pressed="true"].passed { background: var(--pass-bg); color: var(--pass); border-color: #b7dfc2; }
button.toggle[aria-pressed="true"].failed { background: var(--fail-bg); color: var(--fail); border-color: #f2b8b5; }
button.toggle[aria-pressed="true"].skipped { background: var(--skip-bg); color: var(--ink); border-color: #d0d4da; }
button.toggle[aria-pressed="true"].unfinished { background: var(--unfin-bg); color: var(--unfin); border-color: #f3c98b; }
button.toggle[aria-pressed="false"] { text-decoration: line-through; opacity: .7; }
select, input[type=search] { border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; background: var(--card); }
input[type=search] { flex: 1; min-width: 220px; max-width: 420px; }
.shown { color: var(--muted); margin-left: auto; }
main { padding: 16px 28px 60px; }
section.file { margin-bottom: 18px; }
section.file h2 { display: flex; gap: 12px; align-items: baseline; font-size: 13px; font-weight: 600; margin: 0 0 6px; }
.file-name { font-family: var(--mono); }
.file-counts { color: var(--muted); font-weight: 400; }
details.scenario { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--pass); border-radius: 6px; margin-bottom: 6px; }
details.scenario.failed { border-left-color: var(--fail); }
details.scenario.skipped { border-left-color: var(--skip); }
details.scenario.unfinished { border-left-color: var(--unfin); }
details.scenario > summary { display: flex; gap: 8px; align-items: center; padding: 7px 12px; cursor: pointer; list-style: none; }
details.scenario > summary::-webkit-details-marker { display: none; }
details.scenario > summary::before { content: "▸"; color: var(--muted); width: 10px; }
details.scenario[open] > summary::before { content: "▾"; }
.status { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; padding: 1px 7px; border-radius: 4px; }
.status.passed { background: var(--pass-bg); color: var(--pass); }
.status.failed { background: var(--fail-bg); color: var(--fail); }
.status.skipped { background: var(--skip-bg); color: var(--skip); }
.status.unfinished { background: var(--unfin-bg); color: var(--unfin); }
.name { font-weight: 600; }
.chip { font-size: 12px; padding: 0 7px; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); }
.chip.transport { font-family: var(--mono); color: var(--out); border-color: #c9d6f5; }
.chip.warning { color: var(--unfin); border-color: #f3c98b; }
.spacer { flex: 1; }
.count, .duration { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
.duration { min-width: 60px; text-align: right; }
.summary-line { display: none; }
details.scenario:not([open]) > .summary-line { display: block; padding: 0 12px 7px 32px; color: var(--fail); font-size: 13px; }
.scenario-body { padding: 4px 16px 16px 32px; }
.note { color: var(--muted); margin: 6px 0; }
.label { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 12px 0 4px; }
.failure { border: 1px solid #f2b8b5; background: #fffafa; border-radius: 6px; padding: 10px 14px; margin: 6px 0 10px; }
.failure.kind-infrastructure { border-color: #f3c98b; background: #fffcf5; }
.failure-head { display: flex; gap: 10px; align-items: baseline; }
.failure-kind { font-size: 11px; font-weight: 700; text-transform: uppercase; color: var(--fail); white-space: nowrap; }
.failure-summary { font-weight: 600; }
.failure-where { margin-top: 4px; color: var(--muted); }
.failure-where code { color: var(--ink); background: #f0f2f5; padding: 1px 6px; border-radius: 4px; font-family: var(--mono); font-size: 12.5px; }
ul.violations, ul.mismatches, .warnings ul { margin: 0; padding-left: 18px; font-family: var(--mono); font-size: 12.5px; }
pre { font-family: var(--mono); font-size: 12.5px; margin: 0; white-space: pre-wrap; word-break: break-word; }
pre.diff { background: #fbfbfc; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; max-height: 360px; overflow: auto; }
pre.diff .add { color: var(--pass); background: var(--pass-bg); }
pre.diff .del { color: var(--fail); background: var(--fail-bg); }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.full-text { margin-top: 8px; color: var(--muted); }
.full-text pre { color: var(--ink); margin-top: 6px; }
.warnings { color: var(--unfin); }
pre.json { background: #fbfbfc; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow: auto; }
.j-key { color: #8a3ab9; } .j-str { color: #0f7b6c; } .j-num { color: #b35900; } .j-lit { color: #2f5fd0; font-weight: 600; }
.exchange-columns { display: flex; gap: 14px; align-items: flex-start; }
.diagram { flex: 0 1 auto; max-width: calc(100% - 300px); max-height: 72vh; overflow: auto; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
.seq-sticky { position: sticky; top: 0; z-index: 1; background: rgba(255,255,255,.97); border-bottom: 1px solid var(--line); }
.seq-head, .seq-body { display: block; }
.lane-head { fill: #eef2fb; stroke: #c9d6f5; }
.lane-head.server { fill: #3b3f4a; stroke: #3b3f4a; }
.lane-title { font: 600 13px system-ui, sans-serif; fill: var(--ink); }
.lane-head.server + .lane-title { fill: #fff; }
.lifeline { stroke: #c9d6f5; stroke-dasharray: 4 4; }
.lifeline.server { stroke: #8a8f9b; stroke-dasharray: none; stroke-width: 2; }
.gap-band { fill: #f3f4f6; }
.gap-text { font: italic 11px system-ui, sans-serif; fill: var(--muted); }
.msg { cursor: pointer; outline: none; }
.msg .hit { fill: transparent; }
.msg:hover .hit, .msg:focus .hit { fill: #f3f6fd; }
.msg.selected .hit { fill: #e6edfc; }
.msg.related .hit { fill: #f1f4fb; }
.msg.related .tx { fill: var(--out); font-weight: 700; }
.msg.failed .hit { fill: #fdecea; }
.msg.failed.selected .hit { fill: #fad4d0; }
.time { font: 11px var(--mono); fill: var(--muted); }
.arrow-line { stroke-width: 1.6; }
.msg.out .arrow-line { stroke: var(--out); } .msg.out .arrow-head { fill: var(--out); }
.msg.in .arrow-line { stroke: var(--in); } .msg.in .arrow-head { fill: var(--in); }
.msg.error .arrow-line { stroke: var(--fail); stroke-dasharray: 5 3; } .msg.error .arrow-head { fill: var(--fail); }
.arrow-label { font: 12px system-ui, sans-serif; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.arrow-label .verb { font-weight: 700; }
.msg:hover .arrow-label, .msg:focus .arrow-label { stroke: #f3f6fd; }
.msg.selected .arrow-label { stroke: #e6edfc; }
.msg.related .arrow-label { stroke: #f1f4fb; }
.msg.failed .arrow-label { stroke: #fdecea; }
.msg.failed.selected .arrow-label { stroke: #fad4d0; }
.msg.error .arrow-label .verb, .msg.error .arrow-label .detail { fill: var(--fail); }
.arrow-label .tx { font: 10.5px var(--mono); fill: var(--muted); }
.msg.failed .time { fill: var(--fail); font-weight: 700; }
.failed-mark { font: 700 11px system-ui, sans-serif; fill: var(--fail); }
.message-panel { flex: 1 1 0; min-width: 280px; position: sticky; top: 56px; max-height: 72vh; overflow: auto; }
.message-panel.empty { color: var(--muted); padding: 14px; border: 1px dashed var(--line); border-radius: 6px; }
.message-meta { margin-bottom: 6px; color: var(--muted); }
.message-meta b { color: var(--ink); }
button.more { margin-top: 8px; border: 1px solid var(--line); background: var(--card); border-radius: 6px; padding: 4px 12px; cursor: pointer; }
.saved { margin-top: 10px; color: var(--muted); }
.saved pre { margin-top: 6px; color: var(--ink); }
.nothing { color: var(--muted); text-align: center; padding: 30px; }
[hidden] { display: none !important; }
`;
