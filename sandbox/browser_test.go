package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/followuphq/followup/sandbox"
)

// requireBrowserEnv makes a missing Chromium a failure instead of a skip; make test sets it,
// after installing Debian's chromium, so that CI never silently leaves the page untested.
const requireBrowserEnv = "FOLLOWUP_REQUIRE_BROWSER"

// screenshotsEnv names the folder the walk-through saves its screenshots in; by default
// .artifacts/sandbox-screenshots at the project root (ignored by git).
const screenshotsEnv = "FOLLOWUP_SCREENSHOTS"

// newBrowser starts headless Chromium under chromedp and returns a context that drives one
// tab of it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	var bin string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv(requireBrowserEnv) != "" {
			t.Fatalf("no chromium binary installed (%s is set): run scripts/services.sh ensure", requireBrowserEnv)
		}
		t.Skipf("no chromium binary installed; make test installs one (set %s to fail instead)", requireBrowserEnv)
	}
	// Not t.TempDir: Chromium's helper processes may still write there after it is stopped,
	// and a failed removal would fail the test.
	profile, err := os.MkdirTemp("", "followup-sandbox-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1400, 1000),
		// This machine's network is closed: without these Chromium keeps trying to reach out.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox itself as root
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	// The first action starts the browser, which lives as long as that action's context:
	// it runs on the tab's own context, and the walk-through's limit comes after.
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	return ctx
}

// page is one tab of the sandbox page under test, with what a person does on it.
type page struct {
	t     *testing.T
	ctx   context.Context
	shots string
	shot  int
}

func openPage(t *testing.T, url string) *page {
	t.Helper()
	dir := os.Getenv(screenshotsEnv)
	if dir == "" {
		dir = filepath.Join("..", ".artifacts", "sandbox-screenshots")
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: newBrowser(t), shots: dir}
	p.do(chromedp.Navigate(url + "/sandbox"))
	p.waitText("#marker", sandbox.Marker)
	return p
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("%v (status line: %q)", err, p.statusLine())
	}
}

// statusLine is what the page says went wrong, for failure messages.
func (p *page) statusLine() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("status").textContent + " " +
		Array.from(document.querySelectorAll(".err")).map((e) => e.textContent).join(" | ")`))
	return s
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// waitText waits until the element at selector shows want.
func (p *page) waitText(selector, want string) {
	p.t.Helper()
	expr := fmt.Sprintf(`((document.querySelector(%s) || {}).textContent || "").includes(%s)`, js(selector), js(want))
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		got, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%s) || {}).textContent || ""`, js(selector))))
		p.t.Fatalf("%s never showed %q: %v\nit shows: %q\nstatus: %q", selector, want, err, got, p.statusLine())
	}
}

// textOf is what the element at selector shows now.
func (p *page) textOf(selector string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", selector, err)
	}
	return s
}

// screenshot saves the whole page as the next numbered PNG.
func (p *page) screenshot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	p.shot++
	path := filepath.Join(p.shots, fmt.Sprintf("%02d-%s.png", p.shot, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot %s", path)
}

// command types a slash command into the command box and runs it.
func (p *page) command(text string) {
	p.t.Helper()
	p.do(chromedp.SendKeys(chromedp.ID("command"), text+"\r"))
}

// click presses the button labelled label inside scope.
func (p *page) click(scope, label string) {
	p.t.Helper()
	xpath := fmt.Sprintf(`//*[@id=%s]//button[normalize-space()=%s]`, xpathString(strings.TrimPrefix(scope, "#")), xpathString(label))
	// The page redraws a panel when the bot publishes something new (the Home tab after a
	// change): a button found just before is then gone. Find it again, as a person would.
	var err error
	for range 5 {
		if err = chromedp.Do(p.ctx, chromedp.Click(chromedp.Search(xpath), chromedp.NodeVisible)); err == nil {
			return
		}
		if !strings.Contains(err.Error(), "Could not find node") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("click %s in %s: %v (status line: %q)", label, scope, err, p.statusLine())
}

func xpathString(s string) string { return "'" + s + "'" } // the labels here hold no quote

// field is the selector of the input of block id in the open modal.
func field(block, tag string) string {
	return fmt.Sprintf(`#modal [data-block-id=%s] %s`, js(block), tag)
}

// typeInto types text into the modal's input or textarea of block, as a person would.
func (p *page) typeInto(block, text string) {
	p.t.Helper()
	p.do(chromedp.SendKeys(chromedp.CSS(field(block, ":is(input, textarea)")), text))
}

// choose picks value in a select of the modal (static_select) or of the page.
func (p *page) choose(selector, value string) {
	p.t.Helper()
	p.do(chromedp.SetValue(chromedp.CSS(selector), value),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).dispatchEvent(new Event("change", {bubbles: true}))`, js(selector))))
}

// TestSandboxWalkThroughInHeadlessChromium walks the page in a real browser as a newcomer
// would, on the demo data: as a rep, add a customer through the New customer modal, log a
// follow-up with a next action through the Log follow-up modal, see it under /followup due
// and in the App Home; then, as the manager, read the digest. Each step is saved as a
// screenshot.
func TestSandboxWalkThroughInHeadlessChromium(t *testing.T) {
	e := start(t)
	if seeded, err := e.sb.Seed(context.Background(), e.url); err != nil || !seeded {
		t.Fatalf("demo data: %v, %v", seeded, err)
	}
	e.bot.Wait()
	p := openPage(t, e.url)
	p.waitText("#user", "Wang Wei")
	p.waitText("#home-open", "Open Home tab")
	p.screenshot("sandbox")

	// As the rep: /followup new, typed into the command box, opens the modal.
	p.command("/followup new")
	p.waitText("#modal .title", "New customer")
	// Saving with required fields empty is stopped on the page, as in Slack.
	p.click("#modal", "Save")
	p.waitText(`#modal [data-block-id="name"] .err`, "required")
	p.typeInto("name", "Browser Bistro")
	p.typeInto("industry", "Food")
	p.choose(field("tier", "select"), "B")
	p.choose(field("source", "select"), "referral")
	p.typeInto("contact_name", "Ma Li")
	p.typeInto("contact_phone", "13800004321")
	p.screenshot("new-customer-modal")
	p.click("#modal", "Save")
	p.waitText("#modal", "No modal open.")
	p.waitText("#replies", "Added Browser Bistro")
	p.screenshot("customer-added")

	// /followup alone: the Log follow-up modal; the customer found by typeahead.
	p.command("/followup")
	p.waitText("#modal .title", "Log follow-up")
	p.typeInto("customer", "bistro")
	p.waitText(`#modal [data-block-id="customer"] .list`, "Browser Bistro")
	p.do(chromedp.Click(chromedp.CSS(`#modal [data-block-id="customer"] .list button`)))
	p.waitText(`#modal [data-block-id="customer"] .chosen`, "Browser Bistro")
	due := time.Now().In(mustLoc(t, "Asia/Shanghai")).AddDate(0, 0, 3).Format(time.DateOnly)
	p.choose(field("method", "select"), "visit")
	p.typeInto("summary", "Tasted the new menu with the owner; she asked for catering prices for 40 people")
	p.typeInto("next_action", "Send the catering offer")
	p.do(chromedp.SetValue(chromedp.CSS(field("next_due", "input")), due))
	p.screenshot("log-follow-up-modal")
	p.click("#modal", "Save")
	p.waitText("#modal", "No modal open.")
	p.waitText("#replies", "Saved your follow-up with Browser Bistro")
	p.screenshot("follow-up-saved")

	// /followup due, from the quick buttons, lists the new next action.
	p.click("#quick", "/followup due")
	p.waitText("#replies", "Send the catering offer")
	p.screenshot("due")
	if got := p.textOf("#replies"); !strings.Contains(got, "Browser Bistro") {
		t.Errorf("/followup due shows %q, want the customer of the next action", got)
	}

	// The App Home, published on app_home_opened, lists it too, and its buttons work.
	p.do(chromedp.Click(chromedp.ID("home-open")))
	p.waitText("#home", "Send the catering offer")
	p.click("#home", "New customer")
	p.waitText("#modal .title", "New customer")
	p.click("#modal", "Cancel")
	p.waitText("#modal", "No modal open.")
	p.screenshot("app-home")

	// As the manager: the digest of the demo team, with the rep's activity in it.
	p.choose("#user", sandbox.ManagerID)
	p.waitText("#user", "Chen Jing")
	p.command("/followup digest")
	p.waitText("#replies", "Team digest")
	p.waitText("#replies", "Wang Wei")
	p.screenshot("manager-digest")
	if got := p.textOf("#replies"); !strings.Contains(got, "Overdue") && !strings.Contains(got, "overdue") {
		t.Errorf("digest shows %q, want the demo team's overdue next steps", got)
	}

	// A DM to the bot shows in the conversation.
	p.do(chromedp.SendKeys(chromedp.ID("dm"), "hello there\r"))
	p.waitText("#messages", "hello there")
}

// TestPageShowsUserTextAsText loads the page in a real browser and checks what its script
// drew: Block Kit from the bot rendered as text and formatting, mentions by name, and
// markup in user data shown as text, never run.
func TestPageShowsUserTextAsText(t *testing.T) {
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

	p := openPage(t, e.url)
	p.waitText("#replies", "Acme & Sons")
	p.waitText("#home", "Here is your day")
	p.waitText("#modal .title", "New customer")
	dom, err := chromedp.Run(p.ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`Added <b>`, // *bold* rendered
		`&lt;img src=x onerror=alert(1)&gt; Acme &amp; Sons`, // user text shown as text
		`✅`,                          // :white_check_mark:
		`class="mention">@Wang Wei<`, // <@U…> by name in the Home tab
		`<div class="title">New customer</div>`,
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
