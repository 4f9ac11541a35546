// Caravan's dashboard: plain browser JavaScript over Caravan's own API, no build step.
// The key lives only in this tab's sessionStorage: gone when the tab closes, never in
// localStorage or a cookie, and sent only to this origin.
"use strict";

const API = "api/v1";
const KEY_ITEM = "caravan.key";
const PALETTE = ["#3b5bdb", "#f08c00", "#2f9e44", "#e03131", "#7048e8", "#1098ad", "#d6336c",
  "#5c940d", "#ae3ec9", "#e8590c", "#0b7285", "#862e9c"];
const OTHER_COLOR = "#adb5bd";
// read by the browser test: the chart instances, and whether each view has finished loading
const dashboard = window.caravanDashboard = { charts: {}, loaded: {} };

const $ = (id) => document.getElementById(id);
const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

function usd(value) {
  if (value === null || value === undefined) return "none";
  const n = Number(value);
  return "$" + (n !== 0 && Math.abs(n) < 0.01 ? n.toPrecision(3) : n.toFixed(2));
}

function perMillion(price) {
  const n = Number(price) * 1e6;
  return n === 0 ? "free" : "$" + (n < 0.1 ? n.toPrecision(2) : n.toFixed(2));
}

function text(tag, content, className) {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement("tr");
  cells.forEach((cell) => tr.appendChild(cell instanceof Node ? cell : text("td", cell)));
  return tr;
}

function num(value) {
  return text("td", value, "num");
}

function fill(tbody, rows, empty, columns) {
  tbody.replaceChildren(...rows);
  if (rows.length === 0) {
    const td = text("td", empty, "muted");
    td.colSpan = columns;
    tbody.appendChild(row([td]));
  }
}

async function getJson(path, key) {
  const headers = key ? { Authorization: "Bearer " + key } : {};
  const response = await fetch(API + path, { headers, cache: "no-store" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error((body.error && body.error.message) || response.statusText);
    error.status = response.status;
    throw error;
  }
  return body;
}

function colorFor(model, index) {
  return model === "other" ? OTHER_COLOR : PALETTE[index % PALETTE.length];
}

function stackedBars(canvasId, labels, series, yTitle, format) {
  const old = dashboard.charts[canvasId];
  if (old) old.destroy();
  dashboard.charts[canvasId] = new Chart($(canvasId), {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: colorFor(s.label, i), borderWidth: 0 })),
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: yTitle }, ticks: { callback: format } },
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + format(c.parsed.y) } },
      },
    },
  });
}

// ---- rankings: tokens by model per day, stacked; the top models and apps over the range

async function loadRankings() {
  dashboard.loaded.rankings = false;
  const days = Number($("range").value);
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - (days - 1) * 86400000).toISOString().slice(0, 10);
  const [models, apps] = await Promise.all([
    getJson(`/rankings?from=${from}&to=${to}&top=10`, sessionStorage.getItem(KEY_ITEM)),
    getJson(`/rankings/apps?from=${from}&to=${to}&top=10`, sessionStorage.getItem(KEY_ITEM)),
  ]);
  const data = models.data;
  const names = data.models.map((m) => m.model);
  const series = names.map((name) => ({
    label: name,
    data: data.daily.map((day) => (day.models.find((m) => m.model === name) || { tokens: 0 }).tokens),
  }));
  stackedBars("rankings-chart", data.daily.map((d) => d.date.slice(5)), series, "tokens", (v) => compact.format(v));
  fill($("rankings-table").tBodies[0], data.models.map((m, i) => {
    const name = text("td", "");
    const dot = text("span", "", "dot");
    dot.style.background = colorFor(m.model, i);
    name.append(dot, m.model);
    const tr = row([text("td", m.model === "other" ? "" : String(i + 1)), name, num(integer.format(m.tokens)),
      num(integer.format(m.requests))]);
    tr.dataset.model = m.model;
    return tr;
  }), "No traffic in this range yet.", 4);
  fill($("apps-table").tBodies[0], apps.data.apps.map((a) => {
    const app = text("td", a.title || a.app);
    if (a.http_referer) app.appendChild(text("span", a.http_referer, "id"));
    return row([app, num(integer.format(a.tokens)), num(integer.format(a.requests))]);
  }), "No app sent HTTP-Referer or X-Title yet.", 3);
  dashboard.loaded.rankings = true;
}

// ---- the catalog: prices, context, and each endpoint's live stats

async function loadModels() {
  const models = (await getJson("/models")).data;
  const endpoints = await Promise.all(models.map((m) =>
    // ':' stays as it is: a variant such as caravan/sim-small:free is part of the path
    getJson("/models/" + m.id.split("/").map((p) => encodeURIComponent(p).replace(/%3A/gi, ":")).join("/") + "/endpoints")
      .then((e) => e.data.endpoints).catch(() => [])));
  const rows = [];
  models.forEach((model, i) => {
    endpoints[i].forEach((e, j) => {
      const name = text("td", j === 0 ? model.name : "");
      if (j === 0) name.appendChild(text("span", model.id, "id"));
      rows.push(row([name, num(j === 0 ? compact.format(model.context_length) : ""), text("td", e.provider_name),
        num(perMillion(e.pricing.prompt)), num(perMillion(e.pricing.completion)),
        num(e.uptime_last_30m === null ? "–" : e.uptime_last_30m.toFixed(1) + "%"),
        num(e.latency_last_30m ? Math.round(e.latency_last_30m.p50) + " ms" : "–"),
        num(e.throughput_last_30m ? Math.round(e.throughput_last_30m.p50) + " tok/s" : "–")]));
    });
  });
  fill($("models-table").tBodies[0], rows, "No routable model: set a provider's API key.", 8);
  dashboard.loaded.models = true;
}

// ---- the key's own view: usage, limit, credit, activity; a management key sees every key

function setMoney(id, value) {
  $(id).textContent = usd(value);
  $(id).dataset.value = value === null || value === undefined ? "" : String(value);
}

async function loadKey() {
  const key = sessionStorage.getItem(KEY_ITEM);
  $("key-section").hidden = !key;
  $("key-forget").hidden = !key;
  dashboard.loaded.key = false;
  if (!key) return;
  $("key-error").hidden = true;
  try {
    const [me, credits, activity] = await Promise.all([
      getJson("/key", key), getJson("/credits", key), getJson("/key/activity", key)]);
    const k = me.data;
    $("key-label").textContent = k.name + " · " + k.label + (k.is_management_key ? " · management key" : "");
    setMoney("key-usage", k.usage);
    $("key-windows").textContent = [k.usage_daily, k.usage_weekly, k.usage_monthly].map(usd).join(" / ");
    setMoney("key-limit", k.limit);
    if (k.limit !== null) $("key-limit").textContent += k.limit_reset ? " " + k.limit_reset : " total";
    setMoney("key-remaining", k.limit_remaining);
    setMoney("credit-remaining", Number(credits.data.total_credits) - Number(credits.data.total_usage));
    $("activity-scope").textContent = k.is_management_key ? "(every key of the account)" : "(this key)";
    showActivity(activity.data);
    $("keys-panel").hidden = !k.is_management_key;
    if (k.is_management_key) showKeys((await getJson("/keys", key)).data);
    dashboard.loaded.key = true;
  } catch (error) {
    $("key-error").textContent = error.status === 401 ? "Caravan does not know this key (or it is disabled or expired)." : error.message;
    $("key-error").hidden = false;
    if (error.status === 401) sessionStorage.removeItem(KEY_ITEM);
  }
}

function showActivity(rows) {
  const days = [...new Set(rows.map((r) => r.date))].sort();
  const byModel = new Map();
  rows.forEach((r) => {
    const m = byModel.get(r.model) || { requests: 0, prompt: 0, completion: 0, usage: 0, perDay: new Map() };
    m.requests += r.requests; m.prompt += r.prompt_tokens; m.completion += r.completion_tokens; m.usage += Number(r.usage);
    m.perDay.set(r.date, (m.perDay.get(r.date) || 0) + Number(r.usage));
    byModel.set(r.model, m);
  });
  const models = [...byModel.entries()].sort((a, b) => b[1].usage - a[1].usage);
  stackedBars("activity-chart", days.map((d) => d.slice(5)),
    models.map(([name, m]) => ({ label: name, data: days.map((d) => m.perDay.get(d) || 0) })), "USD",
    (v) => "$" + Number(Number(v).toPrecision(2)));
  fill($("activity-table").tBodies[0], models.map(([name, m]) => {
    const tr = row([text("td", name), num(integer.format(m.requests)), num(integer.format(m.prompt)),
      num(integer.format(m.completion)), num(usd(m.usage))]);
    tr.dataset.model = name;
    return tr;
  }), "No requests in the last 30 days.", 5);
}

function showKeys(keys) {
  fill($("keys-table").tBodies[0], keys.map((k) => row([text("td", k.name), text("td", k.label),
    num(usd(k.usage)), num(k.limit === null ? "none" : usd(k.limit)),
    num(k.limit_remaining === null ? "–" : usd(k.limit_remaining)), text("td", k.limit_reset || "never"),
    text("td", k.is_management_key ? "management" : k.disabled ? "disabled" : "active")])), "No keys.", 7);
}

function refresh() {
  loadRankings().catch((e) => console.error("rankings", e));
  loadKey();
}

document.addEventListener("DOMContentLoaded", () => {
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("key-input").value.trim();
    $("key-input").value = "";
    if (key) sessionStorage.setItem(KEY_ITEM, key);
    refresh();
  });
  $("key-forget").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_ITEM);
    Object.values(dashboard.charts).forEach((c) => c.canvas.id === "activity-chart" && c.destroy());
    loadKey();
  });
  $("range").addEventListener("change", () => loadRankings().catch((e) => console.error("rankings", e)));
  refresh();
  loadModels().catch((e) => console.error("models", e));
  // live stats and rankings move: refresh them every 30 s while the page is open
  setInterval(() => { loadModels().catch(() => {}); loadRankings().catch(() => {}); }, 30000);
});
