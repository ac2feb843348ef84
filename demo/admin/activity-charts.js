// The Activity tab's charts, drawn with uPlot (MIT, ~50 KB, canvas). It is loaded by dynamic import
// the first time the tab opens, with its stylesheet, from this server (/admin/vendor/, copied there
// by the build): no other tab pays for it, and nothing comes from a CDN.
let loading = null

/** uPlot, loaded once. */
export function loadUplot() {
  loading ??= (async () => {
    const css = Object.assign(document.createElement('link'), {
      rel: 'stylesheet',
      href: '/admin/vendor/uplot.css',
    })
    document.head.append(css)
    return (await import('/admin/vendor/uplot.js')).default
  })()
  return loading
}

/** The width inside the box's padding, which the chart must fit. */
function inner(box) {
  const s = getComputedStyle(box)
  return Math.max(280, box.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight))
}

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()
/** Distinct series colours that read on the light card, and lighter ones for the dark card. */
const LIGHT = ['#2458d6', '#17733a', '#c2410c', '#7c3aed', '#0e7490', '#b3261e', '#a16207']
const DARK = ['#8fb0ff', '#7fd79b', '#ffb38a', '#c4a7ff', '#67d4e6', '#ff8f86', '#f2cc60']
const colour = (i) => {
  const palette = matchMedia('(prefers-color-scheme: dark)').matches ? DARK : LIGHT
  return palette[i % palette.length]
}

const WHOLE = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500].flatMap((n) => [n, n * 1000, n * 1e6])
WHOLE.sort((a, b) => a - b)

/** A day (`2026-11-23`) as uPlot's x value: seconds since the epoch, UTC midnight. */
const x = (day) => Date.parse(`${day}T00:00:00Z`) / 1000

function axes(ink, line, right) {
  const base = { stroke: ink, grid: { stroke: line, width: 1 }, ticks: { stroke: line } }
  const list = [
    { ...base, space: 60 },
    { ...base, size: 60, ...right?.left },
  ]
  if (right)
    list.push({ ...base, side: 1, scale: right.scale, grid: { show: false }, ...right.axis })
  return list
}

/**
 * One chart in `box`: `lines` are `{label, values, scale?, dash?, bars?, format?}` over `days`.
 * Returns the uPlot instance (kept in step with the box's width).
 */
export function chart(uPlot, box, { title, days, lines, scales = {}, right, yFormat }) {
  const ink = css('--ink') || '#1d2330'
  const line = css('--line') || '#d5d9e1'
  const series = [
    {
      label: 'Day',
      value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 10)),
    },
    ...lines.map((l, i) => ({
      label: l.label,
      scale: l.scale ?? 'y',
      stroke: l.colour ?? colour(i),
      fill: l.bars ? `${l.colour ?? colour(i)}55` : undefined,
      width: 2,
      dash: l.dash,
      paths: l.bars ? uPlot.paths.bars({ size: [0.7, 40] }) : undefined,
      points: { show: days.length <= 45 && !l.dash && !l.bars },
      value: l.format ? (_u, v) => (v == null ? '' : l.format(v)) : undefined,
    })),
  ]
  const opts = {
    title,
    width: inner(box),
    height: 240,
    series,
    scales: {
      x: { time: true },
      y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
      ...scales,
    },
    axes: axes(ink, line, right),
    // A plain key: values under a moving cursor would make the legend jump.
    legend: { live: false },
    cursor: { points: { size: 6 } },
  }
  if (yFormat) opts.axes[1].values = (_u, ticks) => ticks.map(yFormat)
  // Counts step by whole numbers (no "1.5 trips").
  else opts.axes[1].incrs = WHOLE
  const plot = new uPlot(opts, [days.map(x), ...lines.map((l) => l.values)], box)
  new ResizeObserver(() => plot.setSize({ width: inner(box), height: 240 })).observe(box)
  return plot
}
