// The sandbox page. It talks to two things only: each emulator's control API (people post, edit,
// delete and react through it; its /_sandbox/events stream keeps every pane live) and the page
// server's /api/events, which streams what Relay's events() reports.
"use strict";

const LABELS = { telegram: "Telegram", discord: "Discord", slack: "Slack", matrix: "Matrix" };
const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "😮", "🙏"];
const NAME_COLOURS = ["#e17076", "#3a9b48", "#3f8fd2", "#8b6fd6", "#d4539b", "#2a9d9f", "#e07b39", "#b58b00"];
const EVENTS = ["message.created", "message.edited", "message.deleted", "reactions.changed",
  "user.created", "channel.created", "channel.updated"];

const ICONS = {
  power: '<path d="M12 3v8"/><path d="M6.6 6.6a8 8 0 1 0 10.8 0"/>',
  trash: '<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13"/>',
  edit: '<path d="M4 20h4L19 9l-4-4L4 16z"/>',
  reply: '<path d="M10 8 5 12l5 4"/><path d="M5 12h9a5 5 0 0 1 5 5v1"/>',
  smile: '<circle cx="12" cy="12" r="8.5"/><path d="M8.5 14a4.5 4.5 0 0 0 7 0"/><path d="M9 9.5h.01M15 9.5h.01"/>',
  clip: '<path d="M20 11.5 12.5 19a5 5 0 0 1-7-7L13 4.5a3.3 3.3 0 0 1 4.7 4.7L10.2 16.7a1.7 1.7 0 0 1-2.4-2.4L14.5 7.6"/>',
  send: '<path d="M4 12 20 4l-5 16-3-7z"/><path d="m12 13 8-9"/>',
};
const icon = (name) => '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">' + ICONS[name] + "</svg>";

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
};
const hash = (s) => {
  let h = 0;
  for (const c of String(s)) h = (h * 31 + c.codePointAt(0)) | 0;
  return Math.abs(h);
};
// The first name, as the page server's avatar keys are (alice, chloe): a person whose picture did not
// travel with them still gets the same initial and colour on every platform.
const slug = (name) => String(name).trim().split(/\s+/)[0].toLowerCase().normalize("NFD")
    .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "someone";

let config = null;
const panes = new Map();

// --- one platform's pane -------------------------------------------------------------------------

class Pane {
  constructor(platform) {
    this.cfg = platform;
    this.platform = platform.platform;
    this.base = platform.emulatorUrl;
    this.markup = Markup.of(this.platform);
    this.users = new Map();
    this.channels = new Map();
    this.rooms = platform.rooms;
    this.room = platform.rooms[0];
    this.messages = new Map(); // channelId -> Map(messageId -> entry), in arrival order
    this.mode = null;
    this.attachment = null;
    this.online = true;
    for (const u of platform.people) this.users.set(u.id, u);
    this.build();
  }

  build() {
    const root = $("#pane-template").content.firstElementChild.cloneNode(true);
    this.root = root;
    root.classList.add("p-" + this.platform);
    root.dataset.platform = this.platform;
    $(".platform-mark", root).textContent = this.cfg.label;
    $(".power", root).addEventListener("click", () => this.togglePower());
    this.list = $(".messages", root);
    this.form = $(".composer", root);
    this.input = $(".input", root);
    this.who = $(".who", root);
    for (const u of this.cfg.people) {
      const o = el("option", null, u.displayName);
      o.value = u.id;
      this.who.appendChild(o);
    }
    this.who.addEventListener("change", () => this.renderAll());
    this.input.title = this.markup.hint;
    $(".attach", root).innerHTML = icon("clip");
    $(".send", root).innerHTML = icon("send");
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        this.send();
      } else if (e.key === "Escape") {
        this.setMode(null);
      }
    });
    this.input.addEventListener("input", () => this.autosize());
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send();
    });
    $(".bold", root).addEventListener("click", () => this.wrap(this.markup.bold));
    $(".italic", root).addEventListener("click", () => this.wrap(this.markup.italic));
    $(".code", root).addEventListener("click", () => this.wrap(this.markup.code));
    $(".mention-tool", root).addEventListener("click", () => this.toggleMentions());
    $(".attach", root).addEventListener("click", () => $(".file", root).click());
    $(".file", root).addEventListener("change", (e) => this.pickFile(e.target.files[0]));
    $(".context-cancel", root).addEventListener("click", () => this.setMode(null));
    this.renderTabs();
    this.renderHeader();
    document.getElementById("rooms").appendChild(root);
  }

  roomOf(channelId) {
    return this.rooms.find((r) => r.channelId === channelId);
  }

  renderTabs() {
    const tabs = $(".tabs", this.root);
    tabs.replaceChildren();
    for (const r of this.rooms) {
      const b = el("button", "tab" + (r === this.room ? " active" : ""));
      b.type = "button";
      b.dataset.room = r.bridge;
      b.appendChild(el("span", "tab-name", (this.platform === "discord" || this.platform === "slack" ? "# " : "") + r.name));
      const dir = !r.bridged ? "not bridged" : r.direction === "BOTH" ? "both ways" : r.direction === "IN" ? "sends out" : "receives only";
      b.appendChild(el("span", "tab-dir dir-" + (r.bridged ? r.direction.toLowerCase() : "none"), dir));
      b.addEventListener("click", () => {
        this.room = r;
        this.setMode(null);
        this.renderTabs();
        this.renderHeader();
        this.renderAll();
      });
      tabs.appendChild(b);
    }
  }

  renderHeader() {
    $(".room-title", this.root).textContent = (this.platform === "discord" || this.platform === "slack" ? "# " : "") + this.room.name;
    const sub = $(".room-sub", this.root);
    const bridgeText = !this.cfg.bridged ? "not bridged"
        : this.room.bridge === "coop" ? "bridged to " + (config.platforms.filter((p) => p.bridged).length - 1) + " other rooms"
        : this.room.direction === "IN" ? "Relay sends it out to the others"
        : "Relay only writes here";
    this.input.placeholder = this.platform === "matrix" ? "Send a message…"
        : this.platform === "telegram" ? "Message"
        : "Message #" + this.room.name;
    sub.textContent = bridgeText;
    const notice = $(".notice", this.root);
    if (!this.online) {
      notice.hidden = false;
      notice.textContent = this.cfg.bridged
          ? this.cfg.label + " is down. Messages sent elsewhere wait in Relay's queue and arrive when it is back."
          : this.cfg.label + " is down. Start it again to chat here.";
    } else if (!this.cfg.bridged) {
      notice.hidden = false;
      notice.textContent = "The " + this.cfg.label + " connector is not available yet: this room is emulated but not bridged.";
    } else {
      notice.hidden = true;
    }
    const power = $(".power", this.root);
    power.innerHTML = icon("power") + (this.online ? " Stop" : " Start");
    power.classList.toggle("down", !this.online);
    power.title = this.online ? "Stop this platform's emulator (an outage)" : "Start this platform's emulator again";
    this.root.classList.toggle("offline", !this.online);
    this.form.querySelectorAll("textarea, button, select").forEach((b) => { b.disabled = !this.online; });
  }

  // --- live state from the emulator -----------------------------------------------------------

  async load() {
    try {
      const users = await this.get("/users");
      for (const u of users) this.users.set(u.id, u);
      const channels = await this.get("/channels");
      for (const c of channels) this.channels.set(c.id, c);
      for (const r of this.rooms) {
        const history = await this.get("/channels/" + encodeURIComponent(r.channelId) + "/messages");
        for (const m of history) this.upsert(m, false);
      }
    } catch (e) {
      console.warn("loading", this.platform, e);
    }
    this.renderAll();
    this.follow();
  }

  follow() {
    if (this.source) this.source.close();
    const source = new EventSource(this.base + "/_sandbox/events?after=0");
    this.source = source;
    source.onopen = () => this.setOnline(true);
    source.onerror = () => {
      this.setOnline(false);
      if (source.readyState === EventSource.CLOSED) setTimeout(() => this.follow(), 2000);
    };
    for (const name of EVENTS) {
      source.addEventListener(name, (e) => this.onChange(JSON.parse(e.data)));
    }
  }

  setOnline(online) {
    if (this.online === online) return;
    this.online = online;
    this.renderHeader();
  }

  onChange(change) {
    if (change.user) this.users.set(change.user.id, change.user);
    if (change.channel) this.channels.set(change.channel.id, change.channel);
    if (change.message) this.upsert(change.message, true);
  }

  upsert(m, render) {
    if (!this.roomOf(m.channelId)) return;
    let room = this.messages.get(m.channelId);
    if (!room) {
      room = new Map();
      this.messages.set(m.channelId, room);
    }
    const known = room.has(m.messageId);
    room.set(m.messageId, m);
    if (!render || m.channelId !== this.room.channelId) return;
    if (known) {
      const old = this.list.querySelector('[data-id="' + CSS.escape(m.messageId) + '"]');
      if (old) old.replaceWith(this.renderMessage(m));
      // Replies quote it: refresh them too.
      for (const other of room.values()) {
        if (other.replyTo === m.messageId) {
          const e = this.list.querySelector('[data-id="' + CSS.escape(other.messageId) + '"]');
          if (e) e.replaceWith(this.renderMessage(other));
        }
      }
    } else {
      const empty = this.list.querySelector(".empty");
      if (empty) empty.remove();
      const stick = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
      this.list.appendChild(this.renderMessage(m));
      if (stick) this.list.scrollTop = this.list.scrollHeight;
    }
  }

  // --- rendering -------------------------------------------------------------------------------

  ctx() {
    return {
      platform: this.platform,
      users: this.users,
      channelName: (id) => (this.channels.get(id) || {}).name,
    };
  }

  renderAll() {
    this.list.replaceChildren();
    const room = this.messages.get(this.room.channelId);
    if (!room || room.size === 0) {
      const empty = el("div", "empty");
      empty.appendChild(el("div", "empty-title", "No messages yet"));
      empty.appendChild(el("div", "empty-text", this.cfg.bridged
          ? "Say something here, or in another room: Relay brings it over."
          : "You can chat here; it stays on " + this.cfg.label + " until its connector exists."));
      this.list.appendChild(empty);
      return;
    }
    for (const m of room.values()) this.list.appendChild(this.renderMessage(m));
    this.list.scrollTop = this.list.scrollHeight;
  }

  renderMessage(m) {
    const a = m.author;
    const me = this.who.value;
    const row = el("div", "msg");
    row.dataset.id = m.messageId;
    if (a.kind !== "USER") row.classList.add("relayed");
    if (a.id === me) row.classList.add("out");
    if (m.deleted) row.classList.add("deleted");
    if (m.threadId && m.threadId !== m.messageId) row.classList.add("in-thread");

    const avatar = el("img", "avatar");
    avatar.alt = "";
    avatar.src = avatarUrl(a.shownAvatarUrl || a.avatarUrl, a.shownName);
    avatar.onerror = () => { avatar.onerror = null; avatar.src = "/avatars/" + slug(a.shownName) + ".svg"; };
    row.appendChild(avatar);

    const body = el("div", "body");
    const meta = el("div", "meta");
    const name = el("span", "name", a.shownName);
    name.style.color = nameColour(this.platform, a);
    meta.appendChild(name);
    const tag = authorTag(this.platform, a);
    if (tag) meta.appendChild(el("span", "tag", tag));
    const time = el("span", "time", formatTime(this.platform, m.date));
    if (this.platform !== "telegram") meta.appendChild(time);
    body.appendChild(meta);

    if (m.threadId && m.threadId !== m.messageId && !m.replyTo) {
      body.appendChild(el("div", "thread-note", "in thread"));
    }
    if (m.replyTo && !m.deleted) {
      const target = (this.messages.get(m.channelId) || new Map()).get(m.replyTo);
      const quote = el("div", "reply-quote");
      if (target) {
        const qn = el("span", "reply-name", target.author.shownName);
        qn.style.color = nameColour(this.platform, target.author);
        quote.appendChild(qn);
        quote.appendChild(el("span", "reply-text", target.deleted ? "deleted message" : excerpt(target.text)));
      } else {
        quote.appendChild(el("span", "reply-text", "a message not shown here"));
      }
      body.appendChild(quote);
    }

    const text = el("div", "text");
    const content = el("span", "content");
    text.appendChild(content);
    if (m.deleted) {
      content.textContent = deletedText(this.platform);
    } else {
      content.innerHTML = this.markup.render(m, this.ctx());
      if (m.edited) text.appendChild(el("span", "edited", this.platform === "telegram" ? " edited" : " (edited)"));
    }
    if (this.platform === "telegram") {
      time.classList.add("tg-time");
      text.appendChild(time);
    }
    body.appendChild(text);

    if (!m.deleted && m.attachments.length) {
      const files = el("div", "files");
      for (const f of m.attachments) files.appendChild(renderFile(f));
      body.appendChild(files);
    }
    if (!m.deleted && m.reactions.length) {
      const rs = el("div", "reactions");
      for (const r of m.reactions) {
        const mine = r.userIds.includes(me);
        const b = el("button", "reaction" + (mine ? " mine" : ""));
        b.type = "button";
        b.title = r.userIds.map((id) => (this.users.get(id) || { displayName: id }).displayName).join(", ");
        b.appendChild(el("span", "emoji", r.emoji));
        b.appendChild(el("span", "count", String(r.userIds.length)));
        b.addEventListener("click", () => mine ? this.unreact(m, r.emoji) : this.react(m, r.emoji));
        rs.appendChild(b);
      }
      body.appendChild(rs);
    }
    row.appendChild(body);

    if (!m.deleted) row.appendChild(this.renderActions(m));
    return row;
  }

  renderActions(m) {
    const actions = el("div", "actions");
    const button = (name, title, fn) => {
      const b = el("button", "action");
      b.innerHTML = icon(name);
      b.type = "button";
      b.title = title;
      b.addEventListener("click", fn);
      actions.appendChild(b);
      return b;
    };
    const picker = el("div", "picker");
    for (const e of QUICK_REACTIONS) {
      const b = el("button", "pick", e);
      b.type = "button";
      b.addEventListener("click", () => { picker.classList.remove("open"); this.react(m, e); });
      picker.appendChild(b);
    }
    button("smile", "React", () => picker.classList.toggle("open"));
    button("reply", "Reply", () => this.setMode({ kind: "reply", message: m }));
    if (this.users.has(m.author.id) && m.author.kind === "USER") {
      button("edit", "Edit (as " + m.author.displayName + ")", () => this.setMode({ kind: "edit", message: m }));
      button("trash", "Delete (as " + m.author.displayName + ")", () => this.remove(m));
    }
    actions.appendChild(picker);
    return actions;
  }

  // --- composing -------------------------------------------------------------------------------

  setMode(mode) {
    this.mode = mode;
    const box = $(".context", this.root);
    if (!mode) {
      box.hidden = true;
      if (this.editing) {
        this.input.value = "";
        this.editing = false;
      }
      return;
    }
    box.hidden = false;
    const who = mode.message.author.shownName;
    $(".context-text", this.root).textContent = mode.kind === "reply"
        ? (this.platform === "slack" ? "Replying in thread to " : "Replying to ") + who + ": " + excerpt(mode.message.text)
        : "Editing your message";
    if (mode.kind === "edit") {
      this.who.value = mode.message.author.id;
      this.input.value = this.markup.source(mode.message);
      this.editing = true;
    }
    this.input.focus();
    this.autosize();
  }

  wrap([open, close]) {
    const t = this.input;
    const [s, e] = [t.selectionStart, t.selectionEnd];
    const inner = t.value.slice(s, e) || "text";
    t.value = t.value.slice(0, s) + open + inner + close + t.value.slice(e);
    t.focus();
    t.setSelectionRange(s + open.length, s + open.length + inner.length);
    this.autosize();
  }

  toggleMentions() {
    const menu = $(".mention-menu", this.root);
    if (!menu.hidden) {
      menu.hidden = true;
      return;
    }
    menu.replaceChildren();
    for (const u of this.users.values()) {
      if (u.id === this.who.value) continue;
      const b = el("button", "mention-item");
      b.type = "button";
      const img = el("img", "mini-avatar");
      img.src = avatarUrl(u.avatarUrl, u.displayName);
      img.alt = "";
      b.appendChild(img);
      b.appendChild(el("span", null, u.displayName + (u.bot ? " (bot)" : "")));
      b.addEventListener("click", () => {
        menu.hidden = true;
        const t = this.input;
        const at = t.selectionStart;
        const m = this.markup.mention(u) + " ";
        t.value = t.value.slice(0, at) + m + t.value.slice(t.selectionEnd);
        t.focus();
        t.setSelectionRange(at + m.length, at + m.length);
      });
      menu.appendChild(b);
    }
    menu.hidden = false;
  }

  pickFile(file) {
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      const data = String(reader.result).split(",")[1] || "";
      this.attachment = { fileName: file.name, mediaType: file.type || "application/octet-stream", data };
      const chip = $(".attachment-chip", this.root);
      chip.hidden = false;
      chip.replaceChildren(el("span", null, file.name + " (" + Math.ceil(file.size / 1024) + " KB)"));
      const x = el("button", "chip-x", "×");
      x.type = "button";
      x.addEventListener("click", () => this.clearAttachment());
      chip.appendChild(x);
    };
    reader.readAsDataURL(file);
  }

  clearAttachment() {
    this.attachment = null;
    $(".attachment-chip", this.root).hidden = true;
    $(".file", this.root).value = "";
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight, 120) + "px";
  }

  async send() {
    const text = this.input.value.trim();
    if (!text && !this.attachment) return;
    const channel = encodeURIComponent(this.room.channelId);
    try {
      if (this.mode && this.mode.kind === "edit") {
        const m = this.mode.message;
        await this.call("PATCH", "/channels/" + channel + "/messages/" + encodeURIComponent(m.messageId),
            { userId: m.author.id, text });
      } else {
        const post = { userId: this.who.value, text };
        if (this.mode && this.mode.kind === "reply") post.replyTo = this.mode.message.messageId;
        if (this.attachment) post.attachment = this.attachment;
        await this.call("POST", "/channels/" + channel + "/messages", post);
      }
      this.input.value = "";
      this.editing = false;
      this.clearAttachment();
      this.setMode(null);
      this.autosize();
    } catch (e) {
      this.flash(e.message);
    }
  }

  async react(m, emoji) {
    try {
      await this.call("POST", "/channels/" + encodeURIComponent(m.channelId) + "/messages/"
          + encodeURIComponent(m.messageId) + "/reactions", { userId: this.who.value, emoji });
    } catch (e) {
      this.flash(e.message);
    }
  }

  async unreact(m, emoji) {
    try {
      await this.call("DELETE", "/channels/" + encodeURIComponent(m.channelId) + "/messages/"
          + encodeURIComponent(m.messageId) + "/reactions?userId=" + encodeURIComponent(this.who.value)
          + "&emoji=" + encodeURIComponent(emoji));
    } catch (e) {
      this.flash(e.message);
    }
  }

  async remove(m) {
    try {
      await this.call("DELETE", "/channels/" + encodeURIComponent(m.channelId) + "/messages/"
          + encodeURIComponent(m.messageId) + "?userId=" + encodeURIComponent(m.author.id));
    } catch (e) {
      this.flash(e.message);
    }
  }

  async togglePower() {
    const action = this.online ? "stop" : "start";
    const power = $(".power", this.root);
    power.disabled = true;
    try {
      const res = await fetch("/api/emulators/" + this.platform + "/" + action, { method: "POST" });
      if (!res.ok) throw new Error(await res.text());
      if (action === "stop") this.setOnline(false);
      else this.follow();
    } catch (e) {
      this.flash("could not " + action + ": " + e.message);
    } finally {
      power.disabled = false;
    }
  }

  flash(message) {
    const notice = $(".notice", this.root);
    notice.hidden = false;
    notice.classList.add("error");
    notice.textContent = message;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      notice.classList.remove("error");
      this.renderHeader();
    }, 5000);
  }

  async get(path) {
    return this.call("GET", path);
  }

  async call(method, path, body) {
    const res = await fetch(this.base + "/_sandbox" + path, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 204) return null;
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.message || res.status + " " + res.statusText);
    return json;
  }
}

// --- how each platform shows people and time ------------------------------------------------------

function avatarUrl(url, name) {
  if (url && /^https?:/.test(url)) return url;
  return "/avatars/" + slug(name) + ".svg";
}

function nameColour(platform, author) {
  if (platform === "slack") return "";
  if (platform === "discord") return author.kind === "USER" ? "#f2f3f5" : "#c9cdfb";
  return NAME_COLOURS[hash(author.shownName) % NAME_COLOURS.length];
}

function authorTag(platform, author) {
  if (author.kind === "USER") return null;
  if (platform === "discord" || platform === "slack") return "APP";
  if (platform === "telegram") return author.kind === "BOT" ? "bot" : null;
  return author.kind === "PUPPET" ? "bridged" : "bot";
}

function formatTime(platform, iso) {
  const d = new Date(iso);
  const hm = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (platform === "discord") return "Today at " + hm;
  if (platform === "slack") return d.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  return hm;
}

function deletedText(platform) {
  return platform === "matrix" ? "Message deleted" : platform === "slack" ? "This message was deleted."
      : "Deleted message";
}

function excerpt(text) {
  const t = String(text).replace(/\s+/g, " ").trim();
  return t.length > 60 ? t.slice(0, 59) + "…" : t;
}

function renderFile(f) {
  const url = f.url;
  if (url && f.mediaType.startsWith("image/")) {
    const a = el("a", "file-image");
    a.href = url;
    a.target = "_blank";
    const img = el("img");
    img.src = url;
    img.alt = f.fileName;
    a.appendChild(img);
    return a;
  }
  const a = el("a", "file-chip");
  if (url) a.href = url;
  a.target = "_blank";
  a.appendChild(el("span", "file-icon", "📄"));
  const info = el("span", "file-info");
  info.appendChild(el("span", "file-name", f.fileName));
  info.appendChild(el("span", "file-size", Math.max(1, Math.round(f.size / 1024)) + " KB"));
  a.appendChild(info);
  return a;
}

// --- the relay panel ----------------------------------------------------------------------------

const relayState = {
  counts: { received: 0, delivered: 0, retried: 0, failed: 0, dropped: 0 },
  latencies: [],
  connectors: {},
  snapshotId: 0,
  seen: new Set(),
};

function followRelay() {
  const source = new EventSource("/api/events");
  source.addEventListener("relay", (e) => onRelayEvent(JSON.parse(e.data)));
  source.onopen = () => $("#live").classList.remove("off");
  source.onerror = () => $("#live").classList.add("off");
}

function onRelayEvent(ev) {
  if (ev.type === "snapshot") {
    relayState.snapshotId = ev.id;
    relayState.counts = Object.assign(relayState.counts, ev.counts);
    relayState.latencies = ev.latencies.slice();
    relayState.connectors = ev.connectors;
    for (const [platform, running] of Object.entries(ev.emulators)) {
      const pane = panes.get(platform);
      if (pane && !running) pane.setOnline(false);
    }
    renderConnectors();
    renderStats();
    return;
  }
  if (relayState.seen.has(ev.id)) return;
  relayState.seen.add(ev.id);
  const fresh = ev.id > relayState.snapshotId;
  if (fresh && ev.type in relayState.counts) relayState.counts[ev.type]++;
  if (fresh && ev.type === "delivered") {
    relayState.latencies.push(ev.latencyMs);
    if (relayState.latencies.length > 200) relayState.latencies.shift();
  }
  if (ev.type === "state") {
    relayState.connectors[ev.connector] = ev;
    renderConnectors();
  }
  if (ev.type === "emulator") {
    const pane = panes.get(ev.platform);
    if (pane && !ev.running) pane.setOnline(false);
    if (pane && ev.running && !pane.online) pane.follow();
  }
  renderStats();
  logEvent(ev);
}

function renderConnectors() {
  const ul = $("#connectors");
  ul.replaceChildren();
  for (const p of config.platforms) {
    const li = el("li", "connector");
    const state = relayState.connectors[p.connectorId];
    const s = !p.bridged ? "UNAVAILABLE" : state ? state.state : "STARTING";
    li.appendChild(el("span", "chip c-" + p.platform, p.connectorId));
    const text = el("div", "connector-text");
    text.appendChild(el("span", "connector-name", p.label));
    text.appendChild(el("span", "connector-detail", !p.bridged ? "connector not available yet"
        : state && state.detail ? state.detail : stateWords(s)));
    li.appendChild(text);
    li.appendChild(el("span", "state s-" + s.toLowerCase(), s.toLowerCase().replace("_", " ")));
    ul.appendChild(li);
  }
}

function stateWords(s) {
  return { CONNECTED: "connected and receiving", STARTING: "connecting", RECONNECTING: "lost the platform, retrying",
    STOPPED: "stopped", FAILED: "failed", BAD_CREDENTIALS: "credentials rejected" }[s] || s;
}

function renderStats() {
  const c = $("#counters");
  c.replaceChildren();
  for (const [k, v] of Object.entries(relayState.counts)) {
    const d = el("div", "counter k-" + k);
    d.appendChild(el("span", "figure", String(v)));
    d.appendChild(el("span", "label", k));
    c.appendChild(d);
  }
  const l = relayState.latencies;
  const fmt = (ms) => ms == null ? "–" : ms < 10 ? ms.toFixed(1) + " ms" : Math.round(ms) + " ms";
  const sorted = l.slice().sort((a, b) => a - b);
  const q = (p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null;
  $("#lat-p50").textContent = fmt(q(0.5));
  $("#lat-p95").textContent = fmt(q(0.95));
  $("#lat-max").textContent = fmt(sorted.length ? sorted[sorted.length - 1] : null);
  $("#latency-n").textContent = l.length ? "last " + l.length + " deliveries" : "";
  const recent = l.slice(-60);
  const max = Math.max(1, ...recent);
  const step = recent.length > 1 ? 300 / (recent.length - 1) : 300;
  const pts = recent.map((v, i) => (i * step).toFixed(1) + "," + (38 - (v / max) * 34).toFixed(1)).join(" ");
  $("#spark").innerHTML = recent.length
      ? '<polyline points="' + pts + '" fill="none" stroke="#6366f1" stroke-width="1.8" vector-effect="non-scaling-stroke"/>'
      : "";
}

function where(ref) {
  if (!ref) return "";
  const platform = config.platforms.find((p) => p.connectorId === ref.connector);
  const room = platform && platform.rooms.find((r) => r.channelId === ref.channel);
  return room ? room.name : ref.channel;
}

function logEvent(ev) {
  const log = $("#log");
  const li = el("li", "ev ev-" + ev.type);
  const time = new Date(ev.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  li.appendChild(el("span", "ev-time", time));
  const line = el("span", "ev-line");
  const chip = (ref) => el("span", "chip c-" + (ref.platform || ""), ref.connector);
  const words = (t) => line.appendChild(el("span", null, t));
  switch (ev.type) {
    case "received":
      line.appendChild(el("span", "ev-icon", "↓"));
      line.appendChild(chip(ev.from));
      words(" " + ev.kind + (ev.author ? " by " + ev.author : "") + (ev.text ? ": “" + ev.text + "”" : ""));
      break;
    case "delivered":
      line.appendChild(el("span", "ev-icon", "✓"));
      words(ev.operation.toLowerCase().replace("_", " ") + " → ");
      line.appendChild(chip(ev.to));
      words(" " + where(ev.to));
      line.appendChild(el("span", "ev-latency", (ev.latencyMs < 10 ? ev.latencyMs.toFixed(1) : Math.round(ev.latencyMs)) + " ms"));
      break;
    case "retried":
      line.appendChild(el("span", "ev-icon", "↻"));
      words(ev.operation.toLowerCase().replace("_", " ") + " → ");
      line.appendChild(chip(ev.to));
      words(" attempt " + ev.attempt + " failed, retry in " + ev.delayMs + " ms: " + ev.reason);
      break;
    case "failed":
      line.appendChild(el("span", "ev-icon", "✗"));
      words(ev.operation.toLowerCase().replace("_", " ") + " → ");
      line.appendChild(chip(ev.to));
      words(" failed after " + ev.attempts + " attempts: " + ev.reason);
      break;
    case "dropped":
      line.appendChild(el("span", "ev-icon", "⊘"));
      line.appendChild(chip(ev.from));
      words(" " + ev.kind + " dropped: " + ev.reason.toLowerCase().replace("_", " "));
      break;
    case "state":
      line.appendChild(el("span", "ev-icon", "●"));
      line.appendChild(chip(ev));
      words(" " + ev.state.toLowerCase().replace("_", " ") + (ev.detail ? ": " + ev.detail : ""));
      break;
    case "emulator":
      line.appendChild(el("span", "ev-icon", ev.running ? "▲" : "▼"));
      words(LABELS[ev.platform] + " emulator " + (ev.running ? "started" : "stopped"));
      break;
    default:
      words(ev.type);
  }
  li.appendChild(line);
  log.prepend(li);
  while (log.children.length > 150) log.lastChild.remove();
}

// --- start ---------------------------------------------------------------------------------------

async function main() {
  config = await (await fetch("/api/config")).json();
  $("#relay-id").textContent = config.relayId ? "relay " + config.relayId : "no relay: no connector is available yet";
  for (const p of config.platforms) {
    const pane = new Pane(p);
    panes.set(p.platform, pane);
  }
  renderConnectors();
  renderStats();
  followRelay();
  await Promise.all(Array.from(panes.values()).map((p) => p.load()));
  document.body.classList.add("ready");
}

document.addEventListener("click", (e) => {
  if (!e.target.closest(".picker, .action")) {
    document.querySelectorAll(".picker.open").forEach((p) => p.classList.remove("open"));
  }
  if (!e.target.closest(".mention-menu, .mention-tool")) {
    document.querySelectorAll(".mention-menu").forEach((m) => { m.hidden = true; });
  }
});

main().catch((e) => {
  document.getElementById("rooms").textContent = "Could not load the sandbox: " + e.message;
});
