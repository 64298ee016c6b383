/*
 * The operator console's page script. Every value from the server reaches the page as text
 * (createTextNode / textContent), never as markup; links are built from run ids the server
 * validated, percent-encoded all the same. No framework, no build step, nothing inline (the page's
 * Content-Security-Policy allows scripts and styles from this origin only).
 */
(function () {
  "use strict";

  var token = (document.querySelector('meta[name="console-token"]') || {}).content || "";
  var me = { actor: { name: "", via: "local" }, features: {}, intents: [] };
  var LIST_REFRESH_MS = 10000;
  var DETAIL_REFRESH_MS = 2000;
  var timers = { list: 0, detail: 0 };
  var listState = { query: "", next: "", loadedMore: false };

  // ---- DOM helpers: text only ------------------------------------------------------------
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (name) {
      var value = props[name];
      if (value === undefined || value === null || value === false) return;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name === "onclick") node.addEventListener("click", value);
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === undefined || child === null || child === false) return;
      node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function $(id) { return document.getElementById(id); }
  function text(value) { return value === undefined || value === null ? "" : String(value); }

  function badge(status) {
    var label = text(status).replace(/_/g, " ");
    return el("span", { "class": "badge " + text(status).replace(/[^a-z_]/g, ""), text: label });
  }
  function when(iso) {
    if (!iso) return "";
    var date = new Date(iso);
    return isNaN(date.getTime()) ? text(iso) : date.toLocaleString();
  }
  function duration(ms) {
    if (typeof ms !== "number" || !isFinite(ms)) return "";
    if (ms < 1000) return ms + " ms";
    var seconds = ms / 1000;
    if (seconds < 60) return seconds.toFixed(1) + " s";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + " min " + Math.round(seconds % 60) + " s";
    return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }
  function toast(message) {
    var box = $("toast");
    box.textContent = message;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  // ---- the API ------------------------------------------------------------------------------
  function api(path, options) {
    var init = { credentials: "same-origin", headers: { accept: "application/json" } };
    if (options && options.method === "POST") {
      init.method = "POST";
      init.headers["content-type"] = "application/json";
      init.headers["x-console-token"] = token;
      init.body = JSON.stringify(options.body || {});
    }
    return fetch(path, init).then(function (response) {
      if (response.status === 401) {
        location.assign("/api/console");
        return new Promise(function () {});
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body || {} };
      });
    });
  }
  function problem(answer) {
    var error = answer.body.error || {};
    return text(error.message || answer.body.message || "The request failed.") + (error.fix ? " " + error.fix : "");
  }

  // ---- routing ------------------------------------------------------------------------------
  function route() {
    var hash = location.hash.replace(/^#/, "") || "/runs";
    var parts = hash.split("?");
    var path = parts[0];
    var query = parts[1] || "";
    var run = /^\/runs\/([0-9a-f]{32})$/.exec(path);
    if (run) return { view: "run", runId: run[1] };
    if (path === "/approvals" || path === "/scheduled" || path === "/health") return { view: path.slice(1) };
    return { view: "runs", query: query };
  }

  function show(view) {
    ["runs", "run", "approvals", "scheduled", "health"].forEach(function (name) {
      $("view-" + name).hidden = name !== view;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-nav]"), function (link) {
      var current = link.getAttribute("data-nav") === (view === "run" ? "runs" : view);
      if (current) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
    });
    clearInterval(timers.detail);
  }

  function focusHeading(view) {
    var heading = $("view-" + view).querySelector("h1");
    if (heading) heading.focus();
  }

  var firstRender = true;
  function render() {
    var where = route();
    show(where.view);
    var done;
    if (where.view === "runs") done = showRuns(where.query);
    else if (where.view === "run") done = showRun(where.runId);
    else if (where.view === "approvals") done = showApprovals();
    else if (where.view === "scheduled") done = showScheduled();
    else done = showHealth();
    // Moving focus on navigation tells keyboard and screen-reader users the view changed.
    if (!firstRender) Promise.resolve(done).then(function () { focusHeading(where.view); });
    firstRender = false;
  }

  // ---- runs list ----------------------------------------------------------------------------
  var FILTERS = ["status", "intent", "ticket", "requester", "target", "from", "to"];

  function formToQuery() {
    var form = $("filters");
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    });
    return params.toString();
  }
  function queryToForm(query) {
    var params = new URLSearchParams(query);
    var form = $("filters");
    FILTERS.forEach(function (name) { form.elements[name].value = params.get(name) || ""; });
  }

  function runRow(run) {
    var who = run.requesterName || run.requester;
    var requester = run.requesterName && run.requester ? run.requesterName + " <" + run.requester + ">" : text(who);
    // One span per cell: on a phone each cell is a label/value grid of two items.
    var cell = function (label, children, className) {
      return el("td", { "data-label": label, "class": className }, [el("span", {}, children)]);
    };
    return el("tr", { "data-run": run.runId }, [
      cell("Status", [badge(run.status)]),
      cell("Intent", [el("a", { href: "#/runs/" + encodeURIComponent(run.runId), text: run.intentName })]),
      cell("Ticket", [text(run.ticketId)]),
      cell("Requester → target", [
        requester || el("span", { "class": "muted", text: "unknown" }), " → ", run.target || el("span", { "class": "muted", text: "—" }),
      ], "who-cell"),
      cell("Started", [el("time", { datetime: run.createdAt, text: when(run.createdAt) })]),
      cell("Duration", [run.durationMs !== undefined ? duration(run.durationMs) : el("span", { "class": "muted", text: run.status === "running" ? "running" : "—" })]),
    ]);
  }

  function loadRuns(query, after, quiet) {
    var status = $("runs-status");
    if (!quiet) status.textContent = "Loading runs…";
    var params = new URLSearchParams(query);
    if (after) params.set("next", after);
    return api("/api/runs?" + params.toString()).then(function (answer) {
      if (answer.status !== 200) {
        status.textContent = problem(answer);
        return;
      }
      var body = $("runs-body");
      if (!after) clear(body);
      answer.body.runs.forEach(function (run) { body.appendChild(runRow(run)); });
      listState.next = answer.body.next || "";
      $("more").hidden = !listState.next;
      var count = body.children.length;
      status.textContent = count === 0 ? "No runs match." : count + (count === 1 ? " run" : " runs") + (listState.next ? " shown; older runs on request." : ".") +
        (quiet ? " Updated " + new Date().toLocaleTimeString() + "." : "");
    });
  }

  function showRuns(query) {
    queryToForm(query);
    listState.query = query;
    listState.loadedMore = false;
    return loadRuns(query, "", false);
  }

  // ---- run detail ---------------------------------------------------------------------------
  function fact(list, term, value) {
    if (value === undefined || value === null || value === "") return;
    list.appendChild(el("dt", { text: term }));
    list.appendChild(el("dd", {}, [typeof value === "string" || typeof value === "number" ? String(value) : value]));
  }

  function errorBox(error, heading) {
    if (!error) return null;
    return el("div", { "class": "error-box" }, [
      el("p", {}, [el("strong", { text: heading + " " }), el("code", { text: text(error.code) })]),
      el("p", { text: text(error.message) }),
      error.fix ? el("p", { "class": "fix" }, ["Fix: ", text(error.fix)]) : null,
    ]);
  }

  function requestBlock(label, value) {
    if (value === undefined) return null;
    return el("details", {}, [el("summary", { text: label }), el("pre", { text: JSON.stringify(value, null, 2) })]);
  }

  function stepItem(step) {
    var head = el("div", { "class": "step-head" }, [
      badge(step.status),
      el("span", { "class": "step-id", text: text(step.id) }),
      el("span", { "class": "muted", text: text(step.kind) }),
      el("span", { text: (step.attempts === 1 ? "1 attempt" : text(step.attempts) + " attempts") }),
      el("span", { text: duration(step.durationMs) }),
      step.resumed ? el("span", { "class": "muted", text: "kept from an earlier attempt" }) : null,
      step.answerLost ? el("span", { "class": "muted", text: "its first answer was lost; sent again, it was found done" }) : null,
    ]);
    var items = null;
    if (Array.isArray(step.items) && step.items.length > 0) {
      items = el("ul", { "class": "plain" }, step.items.map(function (item) {
        return el("li", {}, [badge(item.status), " ", text(item.id), item.error ? " — " + text(item.error.code) + ": " + text(item.error.message) : ""]);
      }));
    }
    return el("li", { "class": text(step.status).replace(/[^a-z]/g, "") }, [
      head, errorBox(step.error, "Error"), items, requestBlock("Request sent (secrets masked)", step.request), requestBlock("Planned request", step.planned),
    ]);
  }

  function actionButtons(run) {
    var box = el("div", { "class": "actions" });
    if (run.retry && run.retry.possible) {
      box.appendChild(el("button", { type: "button", id: "retry", onclick: function (event) { retry(run.runId, event.currentTarget); } }, ["Retry run"]));
    } else if (run.retry && run.retry.reason && (run.status === "failed" || run.status === "partial")) {
      box.appendChild(el("p", { "class": "muted", text: "Retry: " + run.retry.reason }));
    }
    if (me.features.schedules && run.schedule && run.schedule.cancellable !== false && run.status === "scheduled") {
      box.appendChild(el("button", { type: "button", "class": "danger", onclick: function (event) { cancelRun(run.runId, event.currentTarget); } }, ["Cancel scheduled run"]));
    }
    if (me.features.undo && run.undo && run.undo.possible === true) {
      box.appendChild(el("button", { type: "button", "class": "secondary", onclick: function (event) { undoRun(run.runId, event.currentTarget); } }, ["Undo this run"]));
    }
    return box.children.length ? box : null;
  }

  function objectPanel(title, value) {
    if (!value) return null;
    var list = el("dl", { "class": "facts" });
    Object.keys(value).forEach(function (key) {
      var item = value[key];
      fact(list, key, typeof item === "object" && item !== null ? JSON.stringify(item) : text(item));
    });
    return el("section", { "class": "panel", "aria-label": title }, [el("h2", { text: title }), list]);
  }

  function person(who) {
    if (!who || typeof who !== "object") return text(who);
    return who.name && who.address && who.name !== who.address ? text(who.name) + " <" + text(who.address) + ">" : text(who.name || who.address);
  }

  // The approval trail: who was asked and why, who decided, when, how and with what comment.
  function approvalPanel(approval) {
    if (!approval || typeof approval.state !== "string") return objectPanel("Approval", approval);
    var list = el("dl", { "class": "facts" });
    fact(list, "State", badge(approval.state));
    if (Array.isArray(approval.approvers)) {
      fact(list, "Asked", el("ul", { "class": "plain" }, approval.approvers.map(function (who) {
        return el("li", { text: person(who) + (who && who.reason ? " — " + text(who.reason) : "") });
      })));
    }
    fact(list, "Asked at", when(approval.requestedAt));
    if (approval.state === "pending") fact(list, "Expires", when(approval.expiresAt));
    if (approval.decidedBy) fact(list, approval.state === "denied" ? "Denied by" : "Decided by", person(approval.decidedBy) + (approval.via ? " (" + text(approval.via) + ")" : ""));
    fact(list, "Decided at", when(approval.decidedAt));
    if (approval.comment) fact(list, "Comment", "“" + text(approval.comment) + "”");
    return el("section", { "class": "panel", "aria-labelledby": "approval-title", id: "approval" }, [el("h2", { id: "approval-title", text: "Approval" }), list]);
  }

  // When a scheduled run (or its delayed step) is due; once it no longer waits, the time it was scheduled for.
  function schedulePanel(schedule) {
    if (!schedule || typeof schedule !== "object") return null;
    var list = el("dl", { "class": "facts" });
    if (schedule.dueAt) {
      fact(list, "Waits for", schedule.next === "start" ? "its start" : "step " + text(schedule.next || schedule.step));
      fact(list, "Due", el("time", { datetime: text(schedule.dueAt), text: when(schedule.dueAt) }));
    }
    if (schedule.at) fact(list, "Scheduled for", el("time", { datetime: text(schedule.at), text: when(schedule.at) }));
    if (!list.firstChild) return objectPanel("Schedule", schedule);
    return el("section", { "class": "panel", "aria-labelledby": "schedule-title", id: "schedule" }, [el("h2", { id: "schedule-title", text: "Schedule" }), list]);
  }

  // The undo plan as a person reads it: one line per change, notice and irreversible change.
  // A plan that could not be made comes with its problem and no lines.
  function undoPanel(plan) {
    if (!plan || (!Array.isArray(plan.lines) && !plan.problem)) return objectPanel("Undo plan", plan);
    var lines = Array.isArray(plan.lines) ? plan.lines : [];
    var parts = [el("h2", { text: "Undo plan" })];
    if (plan.problem) parts.push(el("p", { role: "alert", text: "The plan could not be made: " + text(plan.problem.message) }, plan.problem.code ? [" ", el("code", { text: text(plan.problem.code) })] : []));
    if (lines.length) parts.push(el("ul", { "class": "undo-lines" }, lines.map(function (line) { return el("li", { text: text(line) }); })));
    if (plan.nothingToUndo) parts.push(el("p", { text: "Nothing is left to undo: the tenant is as it was before the run, or someone changed it since." }));
    if (plan.expiresAt) parts.push(el("p", { "class": "muted", text: "What the run changed is kept until " + when(plan.expiresAt) + "; after that it cannot be undone from here." }));
    if (Array.isArray(plan.undoneBy) && plan.undoneBy.length) {
      parts.push(el("p", {}, ["Undone by "].concat(plan.undoneBy.map(function (id, i) {
        return el("span", {}, [i ? ", " : "", runLink(id)]);
      }))));
    }
    return el("section", { "class": "panel", "aria-label": "Undo plan", id: "undo-plan" }, parts);
  }

  // An undo run's record says which run it reverses and what it left as it was; a run's plan has lines.
  function undoReportOf(run) {
    var undo = run.undo;
    return undo && typeof undo === "object" && typeof undo.of === "string" && !Array.isArray(undo.lines) ? undo : null;
  }

  function runLink(id) {
    return el("a", { href: "#/runs/" + encodeURIComponent(text(id)), text: "run " + text(id).slice(0, 8) });
  }

  function undoReportPanel(report) {
    var notes = [].concat(
      (Array.isArray(report.changedSince) ? report.changedSince : []).map(function (line) { return "Left as it is: " + text(line); }),
      (Array.isArray(report.irreversible) ? report.irreversible : []).map(function (line) { return "Not reversible: " + text(line); })
    );
    if (!notes.length) return null;
    return el("section", { "class": "panel", "aria-labelledby": "undo-left-title", id: "undo-left" }, [
      el("h2", { id: "undo-left-title", text: "Not reversed" }),
      el("ul", { "class": "undo-lines" }, notes.map(function (line) { return el("li", { text: line }); })),
    ]);
  }

  function renderRun(run) {
    var view = clear($("view-run"));
    var report = undoReportOf(run);
    var facts = el("dl", { "class": "facts" });
    fact(facts, "Run", el("code", { text: run.runId }));
    if (report) fact(facts, "Undoes", runLink(report.of));
    fact(facts, "Ticket", text(run.ticketId));
    fact(facts, "Requester", run.requesterName ? run.requesterName + " <" + run.requester + ">" : text(run.requester) || "unknown");
    fact(facts, "Target", text(run.target) || "—");
    fact(facts, "Started", when(run.createdAt));
    fact(facts, "Finished", when(run.finishedAt));
    if (run.createdAt && run.finishedAt) fact(facts, "Duration", duration(Date.parse(run.finishedAt) - Date.parse(run.createdAt)));
    fact(facts, "Attempts", text(run.attempts));
    fact(facts, "Message", text(run.message));
    var steps = Array.isArray(run.steps) ? run.steps : [];
    var trail = Array.isArray(run.actions) ? run.actions : [];
    view.appendChild(el("p", {}, [el("a", { href: "#/runs", text: "← All runs" })]));
    view.appendChild(el("h1", { id: "run-title", tabindex: "-1" }, [text(run.intentName) + " ", badge(run.status)]));
    view.appendChild(el("section", { "class": "panel", "aria-label": "Run facts" }, [facts]));
    view.appendChild(errorBox(run.error, "Run failed:") || el("span"));
    var actions = actionButtons(run);
    if (actions) view.appendChild(actions);
    view.appendChild(el("h2", { text: "Steps" }));
    view.appendChild(steps.length ? el("ol", { "class": "timeline", "aria-label": "Steps in order" }, steps.map(stepItem)) : el("p", { "class": "muted", text: run.status === "running" ? "The run is working; steps appear when it stops." : "No step ran." }));
    var approval = run.approval ? approvalPanel(run.approval) : null;
    if (approval) view.appendChild(approval);
    var schedule = schedulePanel(run.schedule);
    if (schedule) view.appendChild(schedule);
    var undo = report ? undoReportPanel(report) : run.undo ? undoPanel(run.undo) : null;
    if (undo) view.appendChild(undo);
    if (trail.length) {
      view.appendChild(el("h2", { text: "Console actions" }));
      view.appendChild(el("ul", { "class": "plain" }, trail.map(function (action) {
        return el("li", {}, [text(action.action) + " by " + text(action.actorName) + " at " + when(action.at) + ": " + text(action.outcome) + (action.comment ? " — “" + text(action.comment) + "”" : "")]);
      })));
    }
  }

  function showRun(runId) {
    var view = $("view-run");
    if (!view.firstChild || view.getAttribute("data-run") !== runId) {
      clear(view).appendChild(el("h1", { id: "run-title", tabindex: "-1", text: "Run" }));
      view.appendChild(el("p", { role: "status", text: "Loading the run…" }));
    }
    view.setAttribute("data-run", runId);
    return api("/api/runs/" + encodeURIComponent(runId)).then(function (answer) {
      if (answer.status >= 400) {
        clear(view).appendChild(el("h1", { id: "run-title", tabindex: "-1", text: "Run not shown" }));
        view.appendChild(el("p", { role: "alert", text: problem(answer) }));
        return;
      }
      renderRun(answer.body);
      clearInterval(timers.detail);
      if (answer.body.status === "running") {
        timers.detail = setInterval(function () {
          if (route().runId !== runId) return clearInterval(timers.detail);
          api("/api/runs/" + encodeURIComponent(runId)).then(function (again) {
            if (again.status === 200 && again.body.status !== "running") {
              clearInterval(timers.detail);
              renderRun(again.body);
              toast("The run finished: " + text(again.body.status).replace(/_/g, " ") + ".");
            }
          });
        }, DETAIL_REFRESH_MS);
      }
    });
  }

  function act(button, path, body, done) {
    button.disabled = true;
    return api(path, { method: "POST", body: body }).then(function (answer) {
      button.disabled = false;
      if (answer.status >= 400) toast(problem(answer));
      else { toast(text(answer.body.message)); if (done) done(answer); }
    });
  }
  function retry(runId, button) {
    act(button, "/api/console/runs/" + encodeURIComponent(runId) + "/retry", {}, function () { showRun(runId); });
  }
  function cancelRun(runId, button) {
    if (!window.confirm("Cancel this scheduled run? It will not run.")) return;
    act(button, "/api/console/runs/" + encodeURIComponent(runId) + "/cancel", {}, function () { render(); });
  }
  function undoRun(runId, button) {
    if (!window.confirm("Start an undo run? It goes through policy and approval like any run.")) return;
    act(button, "/api/console/runs/" + encodeURIComponent(runId) + "/undo", {}, function (answer) {
      // Follow the undo run it started; without one (nothing left to undo), show this run again.
      if (/^[0-9a-f]{32}$/.test(text(answer.body.undoRunId))) location.hash = "#/runs/" + answer.body.undoRunId; else showRun(runId);
    });
  }

  // ---- approvals, scheduled runs, health ------------------------------------------------------
  function section(view, title, id) {
    var root = clear($("view-" + view));
    root.appendChild(el("h1", { id: id, tabindex: "-1", text: title }));
    return root;
  }

  function showApprovals() {
    var root = section("approvals", "Approvals", "approvals-title");
    return api("/api/console/approvals").then(function (answer) {
      if (answer.status !== 200) return root.appendChild(el("p", { role: "alert", text: problem(answer) }));
      if (!answer.body.enabled) return root.appendChild(el("p", { text: "This deployment asks for no approvals: runs that policy sends for approval are refused instead." }));
      var items = answer.body.approvals || [];
      $("approvals-count").textContent = items.length ? String(items.length) : "";
      if (!items.length) return root.appendChild(el("p", { text: "Nothing is waiting for approval." }));
      root.appendChild(el("ul", { "class": "plain" }, items.map(function (item) {
        var note = el("textarea", { id: "comment-" + item.approvalId, rows: "2", maxlength: "1000" });
        var decide = function (decision) {
          return function (event) {
            act(event.currentTarget, "/api/console/approvals/" + encodeURIComponent(item.approvalId) + "/decision",
              { decision: decision, comment: note.value }, function () { showApprovals(); });
          };
        };
        return el("li", { "class": "panel" }, [
          el("h2", {}, [el("a", { href: "#/runs/" + encodeURIComponent(item.runId), text: text(item.intentName) }), " · ticket " + text(item.ticketId)]),
          el("p", { text: text(item.requester) + " → " + text(item.target) + " · asked " + when(item.requestedAt) + " · expires " + when(item.expiresAt) }),
          el("p", { text: "Approvers: " + (item.approvers || []).map(text).join(", ") }),
          el("ul", {}, (item.changes || []).map(function (change) { return el("li", { text: text(change) }); })),
          el("label", { "for": "comment-" + item.approvalId, text: "Comment (optional)" }), note,
          el("div", { "class": "actions" }, [
            el("button", { type: "button", "aria-label": "Approve " + text(item.intentName) + " on ticket " + text(item.ticketId), onclick: decide("approve") }, ["Approve"]),
            el("button", { type: "button", "class": "danger", "aria-label": "Deny " + text(item.intentName) + " on ticket " + text(item.ticketId), onclick: decide("deny") }, ["Deny"]),
          ]),
        ]);
      })));
    });
  }

  function showScheduled() {
    var root = section("scheduled", "Scheduled runs", "scheduled-title");
    return api("/api/console/schedules").then(function (answer) {
      if (answer.status !== 200) return root.appendChild(el("p", { role: "alert", text: problem(answer) }));
      if (!answer.body.enabled) return root.appendChild(el("p", { text: "This deployment schedules no runs: every run starts when its request arrives." }));
      var items = answer.body.scheduled || [];
      if (!items.length) return root.appendChild(el("p", { text: "Nothing is scheduled." }));
      root.appendChild(el("ul", { "class": "plain" }, items.map(function (item) {
        return el("li", { "class": "panel" }, [
          el("h2", {}, [el("a", { href: "#/runs/" + encodeURIComponent(item.runId), text: text(item.intentName) }), " · ticket " + text(item.ticketId)]),
          el("p", { text: "Due " + when(item.dueAt) + " (" + (item.next === "start" ? "start" : "step " + text(item.next)) + ") · " + text(item.requester) + " → " + text(item.target) }),
          // Many items, each with its own Cancel: the accessible name says which run it cancels.
          el("button", { type: "button", "class": "danger", "aria-label": "Cancel " + text(item.intentName) + " on ticket " + text(item.ticketId), onclick: function (event) { cancelRun(item.runId, event.currentTarget); } }, ["Cancel"]),
        ]);
      })));
    });
  }

  function showHealth() {
    var root = section("health", "Health", "health-title");
    return api("/api/console/health").then(function (answer) {
      if (answer.status !== 200) return root.appendChild(el("p", { role: "alert", text: problem(answer) }));
      var body = answer.body;
      var throttling = body.throttling || {};
      root.appendChild(el("section", { "class": "panel", "aria-labelledby": "h-failures" }, [
        el("h2", { id: "h-failures", text: "Last failures" }),
        (body.failures || []).length ? el("ul", { "class": "plain" }, body.failures.map(function (run) {
          return el("li", {}, [el("a", { href: "#/runs/" + encodeURIComponent(run.runId), text: text(run.intentName) }),
            " · ticket " + text(run.ticketId) + " · " + when(run.createdAt) + (run.errorCode ? " · " + text(run.errorCode) : "")]);
        })) : el("p", { text: "No failed runs." }),
      ]));
      root.appendChild(el("section", { "class": "panel", "aria-labelledby": "h-poison" }, [
        el("h2", { id: "h-poison", text: "Poison messages" }),
        el("ul", { "class": "plain" }, (body.poison || []).map(function (queue) {
          return el("li", { text: text(queue.queue) + ": " + (queue.messages === null ? "could not be read" : text(queue.messages) + " message(s)") });
        })),
      ]));
      root.appendChild(el("section", { "class": "panel", "aria-labelledby": "h-throttling" }, [
        el("h2", { id: "h-throttling", text: "Graph throttling (last 24 hours)" }),
        el("p", { text: throttling.responses ? text(throttling.responses) + " throttled response(s) in " + text(throttling.runs) + " run(s); last at " + when(throttling.lastAt) + "." : "No throttling seen." }),
      ]));
    });
  }

  // ---- start ----------------------------------------------------------------------------------
  function start() {
    $("filters").addEventListener("submit", function (event) {
      event.preventDefault();
      var query = formToQuery();
      var target = "#/runs" + (query ? "?" + query : "");
      if (location.hash === target) render(); else location.hash = target;
    });
    $("filters").addEventListener("reset", function () {
      setTimeout(function () { location.hash = "#/runs"; }, 0);
    });
    $("more").addEventListener("click", function () {
      listState.loadedMore = true;
      loadRuns(listState.query, listState.next, false);
    });
    $("sign-out").addEventListener("click", function () {
      api("/api/console/signout", { method: "POST" }).then(function () {
        location.assign(me.actor.via === "entra" ? "/.auth/logout?post_logout_redirect_uri=%2Fapi%2Fconsole" : "/api/console");
      });
    });
    // The skip link moves the focus itself: following its #main would change the hash this page routes by.
    document.querySelector(".skip").addEventListener("click", function (event) {
      event.preventDefault();
      var where = route();
      var heading = $("view-" + where.view).querySelector("h1");
      (heading || $("main")).focus();
    });
    window.addEventListener("hashchange", render);
    // Live refresh: the first page again, unless older pages were opened or the tab is hidden.
    timers.list = setInterval(function () {
      if (route().view !== "runs" || !$("live").checked || listState.loadedMore || document.visibilityState !== "visible") return;
      loadRuns(listState.query, "", true);
    }, LIST_REFRESH_MS);
    render();
    api("/api/console/me").then(function (answer) {
      if (answer.status !== 200) return;
      me = answer.body;
      $("who").textContent = "Signed in as " + text(me.actor.name);
      var select = $("f-intent");
      var wanted = new URLSearchParams(route().query || "").get("intent") || "";
      (me.intents || []).forEach(function (name) { select.appendChild(el("option", { value: name, text: name })); });
      select.value = wanted;
      if (me.features.approvals) {
        api("/api/console/approvals").then(function (approvals) {
          var count = (approvals.body.approvals || []).length;
          $("approvals-count").textContent = count ? String(count) : "";
        });
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
