// Each platform's own markup, read for display and written by the composer's buttons.
// Telegram and Matrix take HTML (Bot API HTML, org.matrix.custom.html), Discord takes its
// markdown, Slack its mrkdwn. Everything shown goes through escape() or the sanitizer: the text
// comes from people typing into a demo, but the page must never run what they type.
"use strict";

const Markup = (() => {
  const escape = (s) => String(s)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");

  // --- HTML (Telegram's entities as HTML, Matrix formatted_body) -------------------------------

  const ALLOWED = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
    "blockquote", "a", "br", "p", "span", "tg-spoiler", "ol", "ul", "li", "h1", "h2", "h3", "h4",
    "h5", "h6", "sup", "sub", "hr", "font", "tg-emoji"]);

  function sanitize(html, ctx) {
    const doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    const out = document.createElement("div");
    const walk = (from, to) => {
      for (const node of Array.from(from.childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) {
          to.appendChild(document.createTextNode(node.textContent));
          continue;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const tag = node.tagName.toLowerCase();
        if (tag === "mx-reply") continue; // a reply fallback: the page shows the reply itself
        if (!ALLOWED.has(tag)) {
          walk(node, to);
          continue;
        }
        if (tag === "a") {
          const href = node.getAttribute("href") || "";
          const mention = mentionOf(href, ctx);
          if (mention) {
            const pill = document.createElement("span");
            pill.className = "mention";
            pill.textContent = (ctx.platform === "matrix" ? "" : "@") + (mention || node.textContent);
            to.appendChild(pill);
            continue;
          }
          const a = document.createElement("a");
          if (/^(https?:|mailto:)/i.test(href)) a.href = href;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          walk(node, a);
          to.appendChild(a);
          continue;
        }
        let el;
        if (tag === "tg-spoiler" || (tag === "span" && (node.hasAttribute("data-mx-spoiler")
            || node.getAttribute("class") === "tg-spoiler"))) {
          el = document.createElement("span");
          el.className = "spoiler";
          el.title = "spoiler";
        } else if (tag === "span" || tag === "font" || tag === "tg-emoji") {
          el = document.createElement("span");
        } else {
          el = document.createElement(tag);
        }
        walk(node, el);
        to.appendChild(el);
      }
    };
    walk(doc.body, out);
    return out.innerHTML;
  }

  function mentionOf(href, ctx) {
    let m = /^tg:\/\/user\?id=(\d+)/.exec(href);
    if (m) return nameOf(ctx, m[1]) || "user " + m[1];
    m = /^https:\/\/matrix\.to\/#\/(@[^/?]+)/.exec(href);
    if (m) {
      const id = decodeURIComponent(m[1]);
      return nameOf(ctx, id) || id;
    }
    return null;
  }

  function nameOf(ctx, id) {
    const u = ctx.users && ctx.users.get(id);
    return u ? u.displayName : null;
  }

  // --- Discord markdown ---------------------------------------------------------------------------

  function discord(text, ctx) {
    const keep = [];
    const hold = (html) => "\u0000" + (keep.push(html) - 1) + "\u0000";
    let s = String(text);
    s = s.replace(/```(?:([\w+-]+)\n)?([\s\S]*?)```/g, (_, lang, code) => hold(
        "<pre><code>" + escape(code.replace(/^\n/, "")) + "</code></pre>"));
    s = s.replace(/`([^`\n]+)`/g, (_, code) => hold("<code>" + escape(code) + "</code>"));
    s = s.replace(/<@!?(\d+)>/g, (_, id) => hold('<span class="mention">@' + escape(nameOf(ctx, id) || "unknown-user") + "</span>"));
    s = s.replace(/<#(\d+)>/g, (_, id) => hold('<span class="mention">#' + escape(ctx.channelName(id) || "unknown") + "</span>"));
    s = s.replace(/<@&(\d+)>/g, () => hold('<span class="mention">@role</span>'));
    s = s.replace(/<a?:(\w+):(\d+)>/g, (_, name) => hold('<span class="custom-emoji">:' + escape(name) + ":</span>"));
    s = s.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_, label, url) => hold(
        '<a href="' + escape(url) + '" target="_blank" rel="noopener noreferrer">' + escape(label) + "</a>"));
    s = s.replace(/<?(https?:\/\/[^\s<>]+)>?/g, (_, url) => hold(
        '<a href="' + escape(url) + '" target="_blank" rel="noopener noreferrer">' + escape(url) + "</a>"));
    s = s.replace(/\\([*_~|`>\\])/g, (_, c) => hold(escape(c)));
    s = escape(s);
    s = s.replace(/\|\|([\s\S]+?)\|\|/g, '<span class="spoiler">$1</span>');
    s = s.replace(/\*\*\*([\s\S]+?)\*\*\*/g, "<b><i>$1</i></b>");
    s = s.replace(/\*\*([\s\S]+?)\*\*/g, "<b>$1</b>");
    s = s.replace(/__([\s\S]+?)__/g, "<u>$1</u>");
    s = s.replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, "$1<i>$2</i>");
    s = s.replace(/(^|[^\w])_(?!\s)([^_\n]+?)_(?!\w)/g, "$1<i>$2</i>");
    s = s.replace(/~~([\s\S]+?)~~/g, "<s>$1</s>");
    s = quotes(s, /^&gt; ?(.*)$/);
    return s.replace(/\u0000(\d+)\u0000/g, (_, i) => keep[Number(i)]);
  }

  // --- Slack mrkdwn ------------------------------------------------------------------------------

  function slack(text, ctx) {
    const keep = [];
    const hold = (html) => "\u0000" + (keep.push(html) - 1) + "\u0000";
    const unescape = (t) => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    let s = String(text);
    s = s.replace(/```([\s\S]*?)```/g, (_, code) => hold("<pre><code>" + escape(unescape(code).replace(/^\n/, "")) + "</code></pre>"));
    s = s.replace(/`([^`\n]+)`/g, (_, code) => hold("<code>" + escape(unescape(code)) + "</code>"));
    s = s.replace(/<([^<>]+)>/g, (_, inner) => {
      const [target, label] = inner.split("|", 2);
      if (target.startsWith("@")) {
        const id = target.slice(1);
        return hold('<span class="mention">@' + escape(nameOf(ctx, id) || label || id) + "</span>");
      }
      if (target.startsWith("#")) {
        const id = target.slice(1);
        return hold('<span class="mention">#' + escape(label || ctx.channelName(id) || id) + "</span>");
      }
      if (target.startsWith("!")) {
        return hold('<span class="mention">@' + escape(target.slice(1).split("^")[0]) + "</span>");
      }
      const url = unescape(target);
      if (!/^(https?:|mailto:)/i.test(url)) return hold(escape(unescape(inner)));
      return hold('<a href="' + escape(url) + '" target="_blank" rel="noopener noreferrer">'
          + escape(unescape(label || target)) + "</a>");
    });
    s = escape(unescape(s));
    s = s.replace(/(^|[\s(])\*(?!\s)([^*\n]+?)\*(?=$|[\s).,!?:;])/gm, "$1<b>$2</b>");
    s = s.replace(/(^|[\s(])_(?!\s)([^_\n]+?)_(?=$|[\s).,!?:;])/gm, "$1<i>$2</i>");
    s = s.replace(/(^|[\s(])~(?!\s)([^~\n]+?)~(?=$|[\s).,!?:;])/gm, "$1<s>$2</s>");
    s = quotes(s, /^&gt; ?(.*)$/);
    return s.replace(/\u0000(\d+)\u0000/g, (_, i) => keep[Number(i)]);
  }

  function quotes(html, pattern) {
    const lines = html.split("\n");
    const out = [];
    let quote = [];
    const flush = () => {
      if (quote.length) out.push("<blockquote>" + quote.join("\n") + "</blockquote>");
      quote = [];
    };
    for (const line of lines) {
      const m = pattern.exec(line);
      if (m) {
        quote.push(m[1]);
      } else {
        flush();
        out.push(line);
      }
    }
    flush();
    return out.join("\n").replace(/<\/blockquote>\n/g, "</blockquote>");
  }

  // --- per platform -----------------------------------------------------------------------------

  const platforms = {
    telegram: {
      render: (m, ctx) => m.formatted != null ? sanitize(m.formatted, ctx) : escape(m.text),
      source: (m) => m.formatted != null ? m.formatted : escape(m.text),
      bold: ["<b>", "</b>"], italic: ["<i>", "</i>"], code: ["<code>", "</code>"],
      mention: (u) => u.username ? "@" + u.username : '<a href="tg://user?id=' + u.id + '">' + escape(u.displayName) + "</a>",
      hint: "HTML: <b>bold</b> <i>italic</i> <code>code</code>",
    },
    discord: {
      render: (m, ctx) => discord(m.text, ctx),
      source: (m) => m.text,
      bold: ["**", "**"], italic: ["*", "*"], code: ["`", "`"],
      mention: (u) => "<@" + u.id + ">",
      hint: "Markdown: **bold** *italic* `code` ||spoiler||",
    },
    slack: {
      render: (m, ctx) => slack(m.text, ctx),
      source: (m) => m.text,
      bold: ["*", "*"], italic: ["_", "_"], code: ["`", "`"],
      mention: (u) => "<@" + u.id + ">",
      hint: "mrkdwn: *bold* _italic_ ~strike~ `code`",
    },
    matrix: {
      render: (m, ctx) => m.formatted != null ? sanitize(m.formatted, ctx) : escape(m.text),
      source: (m) => m.formatted != null ? m.formatted : escape(m.text),
      bold: ["<b>", "</b>"], italic: ["<i>", "</i>"], code: ["<code>", "</code>"],
      mention: (u) => '<a href="https://matrix.to/#/' + u.id + '">' + escape(u.displayName) + "</a>",
      hint: "HTML: <b>bold</b> <i>italic</i> <code>code</code>",
    },
  };

  return { escape, sanitize, discord, slack, of: (platform) => platforms[platform] };
})();
