package sandbox_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/followuphq/followup/sandbox"
)

// chromiumBinary finds a Chromium to run the page in; the test is skipped without one
// (none is installed by make test).
func chromiumBinary(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium binary installed")
	return ""
}

// TestPageRendersInHeadlessChromium loads the page in a real browser and checks what its
// script drew: Block Kit from the bot rendered as text and formatting, mentions by name,
// and markup in user data shown as text, never run.
func TestPageRendersInHeadlessChromium(t *testing.T) {
	bin := chromiumBinary(t)
	e := start(t)
	rep := sandbox.RepID

	res := e.command(rep, "new")
	if res.Modal == nil {
		t.Fatal("/followup new opened no modal")
	}
	e.call("submit", map[string]any{"user": rep, "view_id": res.Modal.ID, "values": map[string]any{
		"name": text(`<img src=x onerror=alert(1)> Acme & Sons`), "industry": text("Retail"), "tier": pick("A"),
		"source": pick("referral"), "contact_name": text("Li"), "contact_phone": text("13800001234"),
	}}, nil)
	e.waitReply(rep, "Acme")
	e.call("home", map[string]any{"user": rep}, nil)
	if res = e.command(rep, "new"); res.Modal == nil {
		t.Fatal("second /followup new opened no modal")
	}

	args := []string{"--headless", "--disable-gpu", "--no-first-run", "--user-data-dir=" + t.TempDir(),
		"--virtual-time-budget=8000", "--dump-dom", e.url + "/sandbox"}
	if os.Geteuid() == 0 {
		args = append([]string{"--no-sandbox"}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	for _, want := range []string{
		sandbox.Marker,
		`Added <b>`, // *bold* rendered
		`&lt;img src=x onerror=alert(1)&gt; Acme &amp; Sons`, // user text shown as text
		`✅`,                          // :white_check_mark:
		`class="mention">@Wang Wei<`, // <@U…> by name in the Home tab
		`<div class="title">New customer</div>`,
		`Open Home tab`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	if strings.Contains(dom, `<img src="x"`) || strings.Contains(dom, "<img src=x") {
		t.Errorf("user text became markup")
	}
	if t.Failed() {
		t.Logf("DOM:\n%s", dom)
	}
}

// browser is a headless Chromium driven over the DevTools protocol (a page target's
// WebSocket), enough to run script in the page and wait for what it draws.
type browser struct {
	t    *testing.T
	ws   *websocket.Conn
	next int
}

func openBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	// Not t.TempDir: Chromium's helper processes may still write there after it is killed,
	// and its removal then fails the test.
	profile, err := os.MkdirTemp("", "followup-sandbox-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--headless", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
		"--remote-debugging-port=0", "about:blank"}
	if os.Geteuid() == 0 {
		args = append([]string{"--no-sandbox"}, args...)
	}
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	// Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID".
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				found <- rest
			}
		}
	}()
	var browserWS string
	select {
	case browserWS = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not start its DevTools endpoint")
	}
	u, _ := url.Parse(browserWS)
	resp, err := http.Get("http://" + u.Host + "/json/list")
	if err != nil {
		t.Fatal(err)
	}
	var targets []struct {
		Type string `json:"type"`
		WS   string `json:"webSocketDebuggerUrl"`
	}
	json.NewDecoder(resp.Body).Decode(&targets)
	resp.Body.Close()
	for _, tg := range targets {
		if tg.Type == "page" {
			ws, _, err := websocket.DefaultDialer.Dial(tg.WS, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ws.Close() })
			return &browser{t: t, ws: ws}
		}
	}
	t.Fatalf("no page target in %+v", targets)
	return nil
}

// send runs one DevTools command and returns its result.
func (b *browser) send(method string, params map[string]any) json.RawMessage {
	b.t.Helper()
	b.next++
	id := b.next
	if err := b.ws.WriteJSON(map[string]any{"id": id, "method": method, "params": params}); err != nil {
		b.t.Fatal(err)
	}
	b.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		var msg struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if err := b.ws.ReadJSON(&msg); err != nil {
			b.t.Fatalf("%s: %v", method, err)
		}
		if msg.ID != id {
			continue // an event
		}
		if msg.Error != nil {
			b.t.Fatalf("%s: %s", method, msg.Error)
		}
		return msg.Result
	}
}

// eval runs expression in the page and returns its value as JSON text.
func (b *browser) eval(expression string) string {
	b.t.Helper()
	raw := b.send("Runtime.evaluate", map[string]any{"expression": expression, "returnByValue": true, "awaitPromise": true})
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	json.Unmarshal(raw, &res)
	if res.Exception != nil {
		b.t.Fatalf("%s: %s", expression, raw)
	}
	return string(res.Result.Value)
}

// waitText waits until the text of the element selector contains want.
func (b *browser) waitText(selector, want string) {
	b.t.Helper()
	expr := fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, selector)
	deadline := time.Now().Add(15 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		var got string
		json.Unmarshal([]byte(b.eval(expr)), &got)
		if strings.Contains(got, want) {
			return
		}
		last = got
		time.Sleep(100 * time.Millisecond)
	}
	status := b.eval(`document.getElementById("status").textContent + " | " + Array.from(document.querySelectorAll(".err")).map((e) => e.textContent).join(" | ")`)
	b.t.Fatalf("%s never showed %q; it shows %q (status: %s)", selector, want, last, status)
}

// helpers is script the test puts in the page to act as a person would.
const helpers = `
window.T = {
  field(block) { return document.querySelector('#modal [data-block-id="' + block + '"]'); },
  set(block, value) {
    const f = T.field(block).querySelector("input, textarea, select");
    f.value = value;
    f.dispatchEvent(new Event("input", { bubbles: true }));
    f.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  },
  click(scope, text) {
    const b = Array.from(document.querySelectorAll(scope + " button")).find((b) => b.textContent.trim() === text);
    if (!b) throw new Error("no button " + text + " in " + scope);
    b.click();
    return true;
  },
  command(text) {
    document.getElementById("command").value = text;
    document.getElementById("command-form").requestSubmit();
    return true;
  },
};
true`

func TestPageDrivesTheBotInHeadlessChromium(t *testing.T) {
	bin := chromiumBinary(t)
	e := start(t)
	b := openBrowser(t, bin)
	b.send("Page.navigate", map[string]any{"url": e.url + "/sandbox"})
	b.waitText("#marker", sandbox.Marker)
	b.waitText("#user", "Wang Wei")
	b.eval(helpers)

	// /followup new, typed into the command box: the modal opens in the Modal panel.
	b.eval(`T.command("/followup new")`)
	b.waitText("#modal .title", "New customer")
	// Saving with required fields empty is stopped on the page, as in Slack.
	b.eval(`T.click("#modal", "Save")`)
	b.waitText(`#modal [data-block-id="name"] .err`, "required")
	b.eval(`T.set("name", "Browser Bistro"); T.set("industry", "Food"); T.set("tier", "B"); T.set("source", "referral");
		T.set("contact_name", "Ma Li"); T.set("contact_phone", "13800004321")`)
	b.eval(`T.click("#modal", "Save")`)
	b.waitText("#modal", "No modal open.")
	b.waitText("#replies", "Added Browser Bistro")

	// /followup: the log modal, the customer found by typeahead, saved with a next action.
	b.eval(`T.command("")`)
	b.waitText("#modal .title", "Log follow-up")
	b.eval(`T.set("customer", "bistro")`)
	b.waitText(`#modal [data-block-id="customer"] .list`, "Browser Bistro")
	b.eval(`document.querySelector('#modal [data-block-id="customer"] .list button').click(); true`)
	b.waitText(`#modal [data-block-id="customer"] .chosen`, "Browser Bistro")
	due := time.Now().In(mustLoc(t, "Asia/Shanghai")).AddDate(0, 0, 3).Format(time.DateOnly)
	b.eval(`T.set("method", "phone"); T.set("summary", "Tasted the menu"); T.set("next_action", "Send the catering offer");
		T.set("next_due", "` + due + `")`)
	b.eval(`T.click("#modal", "Save")`)
	b.waitText("#modal", "No modal open.")

	// /followup due, from the quick buttons, lists it; its button opens a modal again.
	b.eval(`T.click("#quick", "/followup due")`)
	b.waitText("#replies", "Send the catering offer")

	// The Home tab, published on app_home_opened, and a button on it.
	b.eval(`document.getElementById("home-open").click(); true`)
	b.waitText("#home", "Send the catering offer")
	b.eval(`T.click("#home", "New customer")`)
	b.waitText("#modal .title", "New customer")
	b.eval(`T.click("#modal", "Cancel")`)
	b.waitText("#modal", "No modal open.")

	// A DM to the bot shows in the conversation.
	b.eval(`document.getElementById("dm").value = "hello there"; document.getElementById("dm-form").requestSubmit(); true`)
	b.waitText("#messages", "hello there")
}
