// followup sandbox page: acts as a Slack user against the local Slack stand-in.
// All text from the bot is put into the page with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
let users = [];
let me = "";
let shown = { modal: null, replies: null, messages: null, home: null };
let modalInputs = {}; // block_id -> () => element state, for the open modal
let modalID = "";

function el(tag, cls, text) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  if (text !== undefined && text !== null) n.textContent = text;
  return n;
}

async function api(path, body) {
  const opts = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const resp = await fetch("/sandbox/api/" + path, opts);
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(data.error || resp.status + " " + resp.statusText);
  return data;
}

function status(text, isError) {
  const s = $("status");
  s.textContent = text || "";
  s.className = "status" + (isError ? " error" : "");
}

function nameOf(id) {
  const u = users.find((u) => u.id === id);
  if (u) return u.name;
  if (id === "U0FAKEBOT1") return "followup";
  return id;
}

// ---- mrkdwn -------------------------------------------------------------------------

const emoji = {
  white_check_mark: "✅", warning: "⚠️", x: "❌", alarm_clock: "⏰", calendar: "📅", bell: "🔔",
  memo: "📝", wave: "👋", tada: "🎉", hourglass: "⌛", hourglass_flowing_sand: "⏳", bar_chart: "📊",
  chart_with_upwards_trend: "📈", red_circle: "🔴", large_green_circle: "🟢", large_yellow_circle: "🟡",
  heavy_check_mark: "✔️", information_source: "ℹ️", zzz: "💤", fire: "🔥", busts_in_silhouette: "👥",
  bust_in_silhouette: "👤", telephone_receiver: "📞", email: "📧", star: "⭐", pushpin: "📌", no_entry: "⛔",
};

function emojify(s) {
  return s.replace(/:([a-z0-9_+-]+):/g, (m, name) => emoji[name] || m);
}

function unescapeSlack(s) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// inline appends *bold*, _italic_, ~strike~ and `code` runs of s to parent.
function inline(parent, s) {
  // Slack formats only runs that do not sit inside a word (snake_case stays as it is).
  const re = /(`[^`\n]+`|(?<![A-Za-z0-9])(?:\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~)(?![A-Za-z0-9]))/gu;
  let last = 0, m;
  while ((m = re.exec(s)) !== null) {
    if (m.index > last) parent.appendChild(document.createTextNode(unescapeSlack(s.slice(last, m.index))));
    const tok = m[0], inner = unescapeSlack(tok.slice(1, -1));
    const tag = { "`": "code", "*": "b", "_": "i", "~": "s" }[tok[0]];
    if (tag === "code") parent.appendChild(el("code", "", inner));
    else {
      const n = el(tag);
      inline(n, tok.slice(1, -1));
      parent.appendChild(n);
    }
    last = m.index + tok.length;
  }
  if (last < s.length) parent.appendChild(document.createTextNode(unescapeSlack(s.slice(last))));
}

function mrkdwn(text, plain) {
  const span = el("span", "mrkdwn");
  text = text || "";
  if (plain) { span.textContent = text; return span; }
  text = emojify(text);
  const re = /<([^<>\s][^<>]*)>/g;
  let last = 0, m;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) inline(span, text.slice(last, m.index));
    const body = m[1];
    const [target, label] = body.split("|", 2);
    if (target.startsWith("@")) span.appendChild(el("span", "mention", "@" + (label || nameOf(target.slice(1)))));
    else if (target.startsWith("#")) span.appendChild(el("span", "mention", "#" + (label || target.slice(1))));
    else if (target.startsWith("!")) span.appendChild(el("span", "mention", "@" + (label || target.slice(1).split("^")[0])));
    else if (/^(https?:|mailto:)/.test(target)) {
      const a = el("a", "", unescapeSlack(label || target));
      a.href = target;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      span.appendChild(a);
    } else span.appendChild(document.createTextNode(unescapeSlack(m[0])));
    last = m.index + m[0].length;
  }
  if (last < text.length) inline(span, text.slice(last));
  return span;
}

function textObj(t) {
  if (!t) return el("span");
  if (typeof t === "string") return mrkdwn(t);
  return mrkdwn(t.text, t.type === "plain_text");
}

function plain(t) { return t ? (typeof t === "string" ? t : t.text || "") : ""; }

// ---- elements -----------------------------------------------------------------------

// allOptions flattens options and option_groups.
function allOptions(e) {
  if (e.options) return e.options;
  return (e.option_groups || []).flatMap((g) => g.options || []);
}

function fillSelect(sel, e, placeholder) {
  const ph = el("option", "", placeholder || plain(e.placeholder) || "Select…");
  ph.value = "";
  sel.appendChild(ph);
  const add = (parent, o) => {
    const opt = el("option", "", plain(o.text));
    opt.value = o.value;
    parent.appendChild(opt);
  };
  if (e.option_groups) {
    for (const g of e.option_groups) {
      const og = el("optgroup");
      og.label = plain(g.label);
      (g.options || []).forEach((o) => add(og, o));
      sel.appendChild(og);
    }
  } else (e.options || []).forEach((o) => add(sel, o));
  if (e.initial_option) sel.value = e.initial_option.value;
}

function userSelect(e, multi) {
  const sel = el("select");
  sel.multiple = !!multi;
  if (!multi) {
    const ph = el("option", "", plain(e.placeholder) || "Pick a person…");
    ph.value = "";
    sel.appendChild(ph);
  }
  for (const u of users) {
    const o = el("option", "", u.name + " (" + u.role + ")");
    o.value = u.id;
    if (u.id === e.initial_user || (e.initial_users || []).includes(u.id)) o.selected = true;
    sel.appendChild(o);
  }
  return sel;
}

// element renders an interactive element. In an input block, it returns a getter of its
// state in collect; elsewhere a change fires a block_actions through act.
function element(e, blockID, ctx, collect) {
  const fire = (extra) => act(ctx, Object.assign({ action_id: e.action_id, block_id: blockID, type: e.type }, extra));
  switch (e.type) {
    case "button": {
      const b = el("button", e.style === "primary" ? "primary" : e.style === "danger" ? "danger" : "", plain(e.text));
      b.type = "button";
      b.addEventListener("click", () => {
        if (e.confirm && !window.confirm(plain(e.confirm.title) + "\n\n" + plain(e.confirm.text))) return;
        if (e.url) window.open(e.url, "_blank", "noopener");
        fire({ value: e.value, text: e.text });
      });
      return b;
    }
    case "overflow": {
      const sel = el("select");
      const ph = el("option", "", "⋯");
      ph.value = "";
      sel.appendChild(ph);
      (e.options || []).forEach((o, i) => { const opt = el("option", "", plain(o.text)); opt.value = String(i); sel.appendChild(opt); });
      sel.addEventListener("change", () => {
        const o = e.options[Number(sel.value)];
        sel.value = "";
        if (o) fire({ selected_option: o });
      });
      return sel;
    }
    case "static_select": case "multi_static_select": {
      const sel = el("select");
      sel.multiple = e.type === "multi_static_select";
      fillSelect(sel, e);
      (e.initial_options || []).forEach((io) => { for (const o of sel.options) if (o.value === io.value) o.selected = true; });
      const chosen = () => allOptions(e).filter((o) => Array.from(sel.selectedOptions).some((s) => s.value === o.value));
      const state = () => sel.multiple ? { type: e.type, selected_options: chosen() } : { type: e.type, selected_option: chosen()[0] || null };
      if (collect) collect(state, () => chosen().length > 0, sel);
      else sel.addEventListener("change", () => fire(state()));
      return sel;
    }
    case "users_select": case "multi_users_select": {
      const multi = e.type === "multi_users_select";
      const sel = userSelect(e, multi);
      const ids = () => Array.from(sel.selectedOptions).map((o) => o.value).filter(Boolean);
      const state = () => multi ? { type: e.type, selected_users: ids() } : { type: e.type, selected_user: ids()[0] || null };
      if (collect) collect(state, () => ids().length > 0, sel);
      else sel.addEventListener("change", () => fire(state()));
      return sel;
    }
    case "external_select": case "multi_external_select":
      return externalSelect(e, blockID, ctx, collect, fire);
    case "datepicker": {
      const inp = el("input");
      inp.type = "date";
      if (e.initial_date) inp.value = e.initial_date;
      const state = () => ({ type: "datepicker", selected_date: inp.value || null });
      if (collect) collect(state, () => !!inp.value, inp);
      else inp.addEventListener("change", () => fire(state()));
      return inp;
    }
    case "timepicker": {
      const inp = el("input");
      inp.type = "time";
      if (e.initial_time) inp.value = e.initial_time;
      const state = () => ({ type: "timepicker", selected_time: inp.value || null });
      if (collect) collect(state, () => !!inp.value, inp);
      else inp.addEventListener("change", () => fire(state()));
      return inp;
    }
    case "plain_text_input": case "email_text_input": case "url_text_input": case "number_input": {
      const inp = e.multiline ? el("textarea") : el("input");
      if (!e.multiline) inp.type = { email_text_input: "email", url_text_input: "url", number_input: "text" }[e.type] || "text";
      if (e.initial_value) inp.value = e.initial_value;
      if (e.placeholder) inp.placeholder = plain(e.placeholder);
      if (e.max_length) inp.maxLength = e.max_length;
      const state = () => ({ type: e.type, value: inp.value === "" ? null : inp.value });
      if (collect) collect(state, () => inp.value.trim() !== "", inp);
      return inp;
    }
    case "checkboxes": case "radio_buttons": {
      const box = el("div");
      const name = "r" + Math.random().toString(36).slice(2);
      const inputs = (e.options || []).map((o) => {
        const lab = el("label");
        const inp = el("input");
        inp.type = e.type === "checkboxes" ? "checkbox" : "radio";
        inp.name = name;
        inp.checked = (e.initial_options || []).some((io) => io.value === o.value) || (e.initial_option && e.initial_option.value === o.value);
        lab.appendChild(inp);
        lab.appendChild(textObj(o.text));
        box.appendChild(lab);
        box.appendChild(el("br"));
        return inp;
      });
      const chosen = () => (e.options || []).filter((o, i) => inputs[i].checked);
      const state = () => e.type === "checkboxes" ? { type: e.type, selected_options: chosen() } : { type: e.type, selected_option: chosen()[0] || null };
      if (collect) collect(state, () => chosen().length > 0, box);
      else inputs.forEach((i) => i.addEventListener("change", () => fire(state())));
      return box;
    }
    case "image":
      return el("span", "unsupported", "[image: " + (e.alt_text || "") + "]");
    default:
      return el("span", "unsupported", "(" + e.type + " not supported in the sandbox)");
  }
}

// externalSelect is a typeahead: typing asks the bot for options (block_suggestion).
function externalSelect(e, blockID, ctx, collect, fire) {
  const box = el("div", "ext");
  const inp = el("input");
  inp.placeholder = plain(e.placeholder) || "Type to search…";
  const chosenLine = el("div", "chosen");
  const list = el("div", "list");
  list.hidden = true;
  let selected = e.initial_option || null;
  const show = () => { chosenLine.textContent = selected ? "✓ " + plain(selected.text) : ""; };
  show();
  let timer = null, seq = 0;
  const search = async () => {
    const mine = ++seq;
    if (inp.value.length < (e.min_query_length === undefined ? 1 : e.min_query_length)) { list.hidden = true; return; }
    try {
      const res = await api("options", { user: me, view_id: ctx.view_id || "", block_id: blockID, action_id: e.action_id, value: inp.value });
      if (mine !== seq) return;
      list.replaceChildren();
      const opts = res.options || (res.option_groups || []).flatMap((g) => g.options || []);
      if (opts.length === 0) list.appendChild(el("div", "empty", "No matches"));
      for (const o of opts) {
        const b = el("button", "", plain(o.text));
        b.type = "button";
        b.addEventListener("click", () => {
          selected = o;
          inp.value = "";
          list.hidden = true;
          show();
          if (!collect) fire({ selected_option: o });
        });
        list.appendChild(b);
      }
      list.hidden = false;
    } catch (err) { status("typeahead: " + err.message, true); }
  };
  inp.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 200); });
  box.appendChild(inp);
  box.appendChild(list);
  box.appendChild(chosenLine);
  if (collect) collect(() => ({ type: e.type, selected_option: selected }), () => !!selected, inp);
  return box;
}

// ---- blocks -------------------------------------------------------------------------

function renderBlocks(blocks, ctx, errors) {
  const root = el("div", "blocks");
  for (const b of blocks || []) root.appendChild(block(b, ctx, errors || {}));
  return root;
}

function block(b, ctx, errors) {
  const div = el("div", "block " + b.type);
  switch (b.type) {
    case "header":
      div.textContent = plain(b.text);
      break;
    case "section": {
      const body = el("div", "body");
      if (b.text) body.appendChild(textObj(b.text));
      if (b.fields) {
        const f = el("div", "fields");
        b.fields.forEach((t) => f.appendChild(textObj(t)));
        body.appendChild(f);
      }
      div.appendChild(body);
      if (b.accessory) div.appendChild(element(b.accessory, b.block_id, ctx));
      break;
    }
    case "context":
      (b.elements || []).forEach((e) => div.appendChild(e.type === "image" ? el("span", "", "[" + (e.alt_text || "image") + "]") : textObj(e)));
      break;
    case "divider":
      return el("hr", "divider");
    case "actions":
      (b.elements || []).forEach((e) => div.appendChild(element(e, b.block_id, ctx)));
      break;
    case "input": {
      const lab = el("label", "lbl", plain(b.label));
      if (b.optional) lab.appendChild(el("span", "opt", " (optional)"));
      div.appendChild(lab);
      const blockID = b.block_id;
      div.dataset.blockId = blockID || "";
      const err = el("div", "err");
      const collect = (get, filled, focusEl) => {
        if (ctx.collect) ctx.collect(blockID, { get, filled, optional: !!b.optional, show: (msg) => { err.textContent = msg || ""; div.classList.toggle("has-error", !!msg); } });
      };
      const inner = element(b.element, blockID, ctx, collect);
      div.appendChild(inner);
      if (b.hint) div.appendChild(el("div", "hintText", plain(b.hint)));
      div.appendChild(err);
      if (errors[blockID]) { err.textContent = errors[blockID]; div.classList.add("has-error"); }
      break;
    }
    case "image":
      div.appendChild(el("span", "unsupported", "[image: " + (b.alt_text || "") + "]"));
      break;
    case "rich_text":
      div.appendChild(el("span", "mrkdwn", richText(b)));
      break;
    default:
      div.appendChild(el("span", "unsupported", "(" + b.type + " block)"));
  }
  return div;
}

function richText(b) {
  const out = [];
  const walk = (n) => {
    if (!n) return;
    if (n.type === "text") out.push(n.text || "");
    else if (n.type === "user") out.push("@" + nameOf(n.user_id));
    else if (n.type === "link") out.push(n.text || n.url || "");
    (n.elements || []).forEach(walk);
    if (n.type === "rich_text_section" || n.type === "rich_text_preformatted") out.push("\n");
  };
  walk(b);
  return out.join("");
}

// ---- actions ------------------------------------------------------------------------

async function act(ctx, action) {
  const body = Object.assign({ user: me, action }, ctx.payload());
  try {
    await api("action", body);
    status("Sent " + action.action_id);
  } catch (err) { status(action.action_id + ": " + err.message, true); }
  refreshSoon();
}

// ---- panels -------------------------------------------------------------------------

function renderModal(m, errors) {
  const box = $("modal");
  box.replaceChildren();
  modalInputs = {};
  modalID = m ? m.id : "";
  if (!m) { box.appendChild(el("p", "empty", "No modal open.")); return; }
  const v = m.view || {};
  box.appendChild(el("div", "title", plain(v.title)));
  const ctx = {
    view_id: m.id,
    collect: (blockID, input) => { modalInputs[blockID] = input; },
    payload: () => ({ surface: "modal", view_id: m.id, values: collectValues(false) }),
  };
  box.appendChild(renderBlocks(v.blocks, ctx, errors));
  const buttons = el("div", "buttons");
  const close = el("button", "", plain(v.close) || "Cancel");
  close.type = "button";
  close.addEventListener("click", async () => {
    try { await api("close", { user: me, view_id: m.id }); } catch (err) { status(err.message, true); }
    refresh();
  });
  buttons.appendChild(close);
  if (v.submit) {
    const submit = el("button", "primary", plain(v.submit));
    submit.type = "button";
    submit.addEventListener("click", () => submitModal(m));
    buttons.appendChild(submit);
  }
  box.appendChild(buttons);
}

// collectValues reads the modal's inputs keyed by block_id; with check it marks empty
// required fields as Slack does and returns null.
function collectValues(check) {
  const values = {};
  let ok = true;
  for (const [blockID, input] of Object.entries(modalInputs)) {
    input.show("");
    if (check && !input.optional && !input.filled()) { input.show("Please complete this required field."); ok = false; }
    values[blockID] = input.get();
  }
  return check && !ok ? null : values;
}

async function submitModal(m) {
  const values = collectValues(true);
  if (!values) return;
  try {
    const res = await api("submit", { user: me, view_id: m.id, values });
    if (res.errors && Object.keys(res.errors).length) {
      for (const [blockID, msg] of Object.entries(res.errors)) if (modalInputs[blockID]) modalInputs[blockID].show(msg);
      status("The bot put errors beside the fields.", true);
      return;
    }
    status(res.response_action ? "Submitted (" + res.response_action + ")" : "Submitted");
    shown.modal = null;
  } catch (err) { status("submit: " + err.message, true); }
  refresh();
  refreshSoon();
}

function messageNode(cls, meta, text, blocks, ctx) {
  const d = el("div", "msg " + cls);
  d.appendChild(el("div", "meta", meta));
  if (blocks && blocks.length) d.appendChild(renderBlocks(blocks, ctx));
  else d.appendChild(mrkdwn(text));
  return d;
}

function renderReplies(replies) {
  const box = $("replies");
  box.replaceChildren();
  if (!replies.length) { box.appendChild(el("p", "empty", "Nothing yet. Run a command.")); return; }
  for (const r of replies) {
    const ctx = { payload: () => ({ surface: "reply", reply_id: r.id }) };
    const when = new Date(r.at).toLocaleTimeString();
    box.appendChild(messageNode("ephemeral", "followup · only visible to you · " + when, r.text, r.blocks, ctx));
  }
  box.scrollTop = box.scrollHeight;
}

function renderMessages(msgs) {
  const box = $("messages");
  box.replaceChildren();
  if (!msgs.length) { box.appendChild(el("p", "empty", "No messages yet. Reminders arrive here.")); return; }
  for (const m of msgs) {
    const ctx = { payload: () => ({ surface: "message", channel: m.channel, ts: m.ts }) };
    const when = new Date(Number(m.ts) * 1000).toLocaleString();
    const who = m.from === "bot" ? "followup" : nameOf(m.from);
    let cls = m.from === "bot" ? "bot" : "me";
    if (m.ephemeral) cls += " ephemeral";
    if (m.thread_ts && m.thread_ts !== m.ts) cls += " thread";
    const meta = who + " · " + when + (m.edited ? " · edited" : "") + (m.thread_ts && m.thread_ts !== m.ts ? " · in thread" : "");
    box.appendChild(messageNode(cls, meta, m.text, m.blocks, ctx));
  }
  box.scrollTop = box.scrollHeight;
}

function renderHome(home, homeID) {
  const box = $("home");
  box.replaceChildren();
  if (!home) { box.appendChild(el("p", "empty", "Open the Home tab to have the bot publish it.")); return; }
  const ctx = { view_id: homeID, payload: () => ({ surface: "home", view_id: homeID }) };
  box.appendChild(renderBlocks(home.blocks, ctx));
}

// ---- state --------------------------------------------------------------------------

let refreshing = false;
async function refresh() {
  if (!me || refreshing) return;
  refreshing = true;
  try {
    const st = await api("state?user=" + encodeURIComponent(me));
    const modalKey = st.modal ? st.modal.id + ":" + (st.modal.view.hash || "") + ":" + JSON.stringify(st.modal.view.blocks).length : "";
    if (modalKey !== shown.modal) { shown.modal = modalKey; renderModal(st.modal); }
    const r = JSON.stringify(st.replies);
    if (r !== shown.replies) { shown.replies = r; renderReplies(st.replies); }
    const m = JSON.stringify(st.messages);
    if (m !== shown.messages) { shown.messages = m; renderMessages(st.messages); }
    const h = JSON.stringify(st.home);
    if (h !== shown.home) { shown.home = h; renderHome(st.home, st.home_id); }
  } catch (err) {
    status("refresh: " + err.message, true);
  } finally { refreshing = false; }
}

function refreshSoon() {
  setTimeout(refresh, 300);
  setTimeout(refresh, 1200);
}

async function runCommand(text) {
  status("Running /followup " + text + " …");
  try {
    const res = await api("command", { user: me, text });
    if (res.status !== 200) status("The bot answered " + res.status, true);
    else status(res.modal ? "A modal opened." : res.response ? "The bot answered." : "Acknowledged.");
  } catch (err) { status(err.message, true); }
  shown.modal = null;
  refresh();
  refreshSoon();
}

async function init() {
  const info = await api("users");
  users = info.users;
  const sel = $("user");
  for (const u of users) {
    const o = el("option", "", u.label);
    o.value = u.id;
    sel.appendChild(o);
  }
  me = localStorage.getItem("followup-sandbox-user") || users[0].id;
  if (!users.some((u) => u.id === me)) me = users[0].id;
  sel.value = me;
  sel.addEventListener("change", () => {
    me = sel.value;
    localStorage.setItem("followup-sandbox-user", me);
    shown = { modal: null, replies: null, messages: null, home: null };
    refresh();
  });
  for (const q of ["", "new", "due", "complaint", "survey", "digest", "team", "lang", "help"]) {
    const b = el("button", "", "/followup " + q);
    b.type = "button";
    b.addEventListener("click", () => runCommand(q));
    $("quick").appendChild(b);
  }
  $("command-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("command").value.trim().replace(/^\/followup\s*/, "");
    $("command").value = ""; // as Slack's composer empties once a command is sent
    runCommand(text);
  });
  $("dm-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = $("dm").value.trim();
    if (!text) return;
    $("dm").value = "";
    try { await api("dm", { user: me, text }); } catch (err) { status(err.message, true); }
    refresh();
    refreshSoon();
  });
  $("home-open").addEventListener("click", async () => {
    try { await api("home", { user: me }); } catch (err) { status(err.message, true); }
    refresh();
  });
  refresh();
  setInterval(refresh, 2000);
}

document.addEventListener("DOMContentLoaded", () => init().catch((err) => status(err.message, true)));
