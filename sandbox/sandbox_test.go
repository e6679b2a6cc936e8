package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot"
	"github.com/followuphq/followup/internal/logtest"
	"github.com/followuphq/followup/sandbox"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// TestMain fails the run when anything the sandbox or the bot logged during it holds
// personal data, a token or a secret (each sandbox's are forbidden as it starts).
func TestMain(m *testing.M) { os.Exit(logtest.Main(m, storagetest.Main, storagetest.PIIKey)) }

// env runs the real bot against the sandbox, wired as `followup serve` wires it: the bot's
// Slack client points at the stand-in, the page and its API share the bot's server.
type env struct {
	t    *testing.T
	url  string
	sb   *sandbox.Sandbox
	db   *storage.DB
	bot  *bot.Bot
	http *http.Client
}

func start(t *testing.T) *env {
	t.Helper()
	db := storagetest.NewDB(t)
	state, _ := storagetest.NewRedis(t)
	sb, err := sandbox.New(sandbox.Config{DB: db, Logger: slog.Default()})
	if err != nil {
		t.Fatal(err)
	}
	logtest.Forbid(sb.SigningSecret(), sb.BotToken())
	t.Cleanup(sb.Close)
	api := slack.New(sb.BotToken(), slack.OptionAPIURL(sb.APIURL()))
	b := bot.New(bot.Config{
		SigningSecret: sb.SigningSecret(), DefaultLocale: followup.LocaleEN, DefaultTimezone: time.UTC,
		AdminSlackIDs: []string{sb.AdminID()},
	}, db, state, api)
	mux := http.NewServeMux()
	mux.Handle("/", b.Handler())
	srv := httptest.NewServer(mux)
	h := sb.Handler(srv.URL)
	mux.Handle("/sandbox", h)
	mux.Handle("/sandbox/", h)
	t.Cleanup(func() { srv.Close(); b.Wait() })
	return &env{t: t, url: srv.URL, sb: sb, db: db, bot: b, http: srv.Client()}
}

// call posts body to the sandbox API and decodes the answer into out.
func (e *env) call(path string, body map[string]any, out any) {
	e.t.Helper()
	raw, _ := json.Marshal(body)
	resp, err := e.http.Post(e.url+"/sandbox/api/"+path, "application/json", bytes.NewReader(raw))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("%s %s = %d %s", path, raw, resp.StatusCode, got)
	}
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			e.t.Fatalf("%s answered %s: %v", path, got, err)
		}
	}
}

type modal struct {
	ID   string         `json:"id"`
	View map[string]any `json:"view"`
}

type commandResult struct {
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response"`
	Modal    *modal          `json:"modal"`
}

func (e *env) command(user, text string) commandResult {
	e.t.Helper()
	var res commandResult
	e.call("command", map[string]any{"user": user, "text": text}, &res)
	if res.Status != http.StatusOK {
		e.t.Fatalf("/followup %s = %d %s", text, res.Status, res.Response)
	}
	return res
}

type state struct {
	Modal    *modal `json:"modal"`
	Messages []struct {
		From string `json:"from"`
		Text string `json:"text"`
	} `json:"messages"`
	Replies []struct {
		Text   string          `json:"text"`
		Blocks json.RawMessage `json:"blocks"`
	} `json:"replies"`
	Home json.RawMessage `json:"home"`
}

func (e *env) state(user string) state {
	e.t.Helper()
	resp, err := e.http.Get(e.url + "/sandbox/api/state?user=" + user)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var st state
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

// waitReply waits until one of user's ephemeral replies contains want.
func (e *env) waitReply(user, want string) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last state
	for time.Now().Before(deadline) {
		last = e.state(user)
		for _, r := range last.Replies {
			if strings.Contains(r.Text, want) || strings.Contains(string(r.Blocks), want) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.t.Fatalf("no reply with %q for %s; replies: %+v", want, user, last.Replies)
}

func text(v string) map[string]any { return map[string]any{"type": "plain_text_input", "value": v} }
func pick(v string) map[string]any {
	return map[string]any{"selected_option": map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}}
}

func TestRepAddsLogsAndSeesDueManagerGetsDigest(t *testing.T) {
	e := start(t)
	rep := sandbox.RepID

	// The page, clearly marked.
	resp, err := e.http.Get(e.url + "/sandbox")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), sandbox.Marker) {
		t.Fatalf("GET /sandbox = %d, want the page with %q", resp.StatusCode, sandbox.Marker)
	}
	for _, asset := range []string{"/sandbox/static/app.js", "/sandbox/static/app.css"} {
		resp, err := e.http.Get(e.url + asset)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %v %v", asset, resp, err)
		}
		resp.Body.Close()
	}

	// /followup new → the New customer modal → submitted → confirmed.
	res := e.command(rep, "/followup new")
	if res.Modal == nil || res.Modal.View["callback_id"] != "new_customer" {
		t.Fatalf("/followup new opened %+v, want the new_customer modal", res.Modal)
	}
	if st := e.state(rep); st.Modal == nil || st.Modal.ID != res.Modal.ID {
		t.Fatalf("state lists modal %+v, want %s", st.Modal, res.Modal.ID)
	}
	var sub struct {
		Errors map[string]string `json:"errors"`
		Modal  *modal            `json:"modal"`
	}
	e.call("submit", map[string]any{"user": rep, "view_id": res.Modal.ID, "values": map[string]any{
		"name": text("Initech Systems"), "industry": text("Software"), "tier": pick("S"), "source": pick("referral"),
		"contact_name": text("Peter Gibbons"), "contact_phone": text("13800009999"),
	}}, &sub)
	if len(sub.Errors) > 0 || sub.Modal != nil {
		t.Fatalf("new customer submission = %+v, want the modal closed", sub)
	}
	e.waitReply(rep, "Initech Systems")

	// /followup → the log modal → typeahead finds the customer → submitted with a next action.
	res = e.command(rep, "")
	if res.Modal == nil || res.Modal.View["callback_id"] != "log_followup" {
		t.Fatalf("/followup opened %+v, want the log_followup modal", res.Modal)
	}
	var opts struct {
		Options []struct {
			Value string `json:"value"`
			Text  struct {
				Text string `json:"text"`
			} `json:"text"`
		} `json:"options"`
	}
	e.call("options", map[string]any{"user": rep, "view_id": res.Modal.ID, "block_id": "customer", "action_id": "customer", "value": "initech"}, &opts)
	if len(opts.Options) != 1 || !strings.Contains(opts.Options[0].Text.Text, "Initech Systems") {
		t.Fatalf("typeahead(initech) = %+v", opts.Options)
	}
	due := time.Now().In(mustLoc(t, "Asia/Shanghai")).AddDate(0, 0, 2).Format(time.DateOnly)
	today := time.Now().In(mustLoc(t, "Asia/Shanghai")).Format(time.DateOnly)
	e.call("submit", map[string]any{"user": rep, "view_id": res.Modal.ID, "values": map[string]any{
		"customer":    map[string]any{"type": "external_select", "selected_option": map[string]any{"value": opts.Options[0].Value, "text": map[string]any{"type": "plain_text", "text": opts.Options[0].Text.Text}}},
		"method":      pick("visit"),
		"happened_on": map[string]any{"type": "datepicker", "selected_date": today},
		"summary":     text("Demoed the product to the IT team"),
		"next_action": text("Send the security questionnaire"),
		"next_due":    map[string]any{"type": "datepicker", "selected_date": due},
		"stage":       pick("intent"),
	}}, &sub)
	if len(sub.Errors) > 0 || sub.Modal != nil {
		t.Fatalf("log submission = %+v, want the modal closed", sub)
	}
	e.bot.Wait()

	// /followup due lists it.
	res = e.command(rep, "due")
	if !strings.Contains(string(res.Response), "security questionnaire") {
		t.Fatalf("/followup due = %s, want the next action", res.Response)
	}

	// The Home tab opens through app_home_opened.
	e.call("home", map[string]any{"user": rep}, nil)
	if st := e.state(rep); !strings.Contains(string(st.Home), "security questionnaire") {
		t.Errorf("Home tab = %s, want the next action", st.Home)
	}

	// The admin sets up a team with the manager, who then gets a digest.
	res = e.command(sandbox.AdminID, "team")
	if res.Modal == nil || res.Modal.View["callback_id"] != "team_setup" {
		t.Fatalf("/followup team opened %+v", res.Modal)
	}
	e.call("submit", map[string]any{"user": sandbox.AdminID, "view_id": res.Modal.ID, "values": map[string]any{
		"team_name": text("Sales East"),
		"manager":   map[string]any{"type": "users_select", "selected_user": sandbox.ManagerID},
		"members":   map[string]any{"type": "multi_users_select", "selected_users": []string{rep, sandbox.RepZHID}},
	}}, &sub)
	if len(sub.Errors) > 0 {
		t.Fatalf("team submission = %+v", sub)
	}
	res = e.command(sandbox.ManagerID, "digest")
	if !strings.Contains(string(res.Response), "Team digest") || !strings.Contains(string(res.Response), "Wang Wei") {
		t.Fatalf("/followup digest = %s, want the team digest", res.Response)
	}
}

func TestSeedLoadsDemoDataOnce(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	seeded, err := e.sb.Seed(ctx, e.url)
	if err != nil || !seeded {
		t.Fatalf("Seed = %v, %v; want the demo data loaded", seeded, err)
	}
	e.bot.Wait()
	var customers, overdue, tiers int
	db := e.db.SQLX()
	if err := db.Get(&customers, `SELECT count(*) FROM customers`); err != nil || customers < 4 {
		t.Errorf("customers = %d (%v), want the demo customers", customers, err)
	}
	if err := db.Get(&tiers, `SELECT count(DISTINCT tier) FROM customers`); err != nil || tiers != 4 {
		t.Errorf("tiers = %d (%v), want S, A, B and C", tiers, err)
	}
	if err := db.Get(&overdue, `SELECT count(*) FROM next_actions WHERE status = 'open' AND due_at < now()`); err != nil || overdue == 0 {
		t.Errorf("overdue next actions = %d (%v), want some", overdue, err)
	}
	if seeded, err := e.sb.Seed(ctx, e.url); err != nil || seeded {
		t.Errorf("second Seed = %v, %v; want nothing loaded", seeded, err)
	}
	res := e.command(sandbox.ManagerID, "digest")
	if !strings.Contains(string(res.Response), "Team digest") {
		t.Errorf("/followup digest after seeding = %s", res.Response)
	}
}

func TestAPIRefusesOtherOriginsAndUnknownUsers(t *testing.T) {
	e := start(t)
	req, _ := http.NewRequest(http.MethodPost, e.url+"/sandbox/api/command", strings.NewReader(`{"user":"`+sandbox.RepID+`","text":"help"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://evil.example")
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin command = %d, want 403", resp.StatusCode)
	}
	resp, err = e.http.Post(e.url+"/sandbox/api/command", "application/json", strings.NewReader(`{"user":"U0NOBODY","text":"help"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown user = %d, want 400", resp.StatusCode)
	}
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestNoPersonalDataInTheClear reads the database directly after customers were added
// every way there is: the demo seed (through the bot's handlers, as the demo users), the
// New customer form on the page, and a spreadsheet import. No phone number, email or credit
// code is in the clear in any table; the demo shows them masked to the other rep and in
// full to the owner's manager.
func TestNoPersonalDataInTheClear(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	if _, err := e.sb.Seed(ctx, e.url); err != nil {
		t.Fatal(err)
	}
	e.bot.Wait()
	res := e.command(sandbox.RepID, "/followup new")
	var sub struct {
		Errors map[string]string `json:"errors"`
	}
	e.call("submit", map[string]any{"user": sandbox.RepID, "view_id": res.Modal.ID, "values": map[string]any{
		"name": text("Initech Systems"), "industry": text("Software"), "tier": pick("S"), "source": pick("referral"),
		"contact_name": text("Peter Gibbons"), "contact_phone": text("+86 138 0000 9999"),
		"contact_email": text("peter@initech.example"), "id_number": text("11010519491231002X"),
	}}, &sub)
	if len(sub.Errors) > 0 {
		t.Fatalf("new customer: %v", sub.Errors)
	}
	e.waitReply(sandbox.RepID, "Initech Systems")
	sheet := followup.ParseSheet([]followup.SheetRecord{
		{Row: 1, Cells: strings.Split("客户名称,所属行业,联系人,联系方式,跟进日期,跟进方式,跟进内容,负责人", ",")},
		{Row: 2, Cells: strings.Split("Umbrella Corp,Pharma,Alice,13911112222,2026-01-05,电话,intro call,"+sandbox.RepID, ",")},
		{Row: 3, Cells: strings.Split("Hooli,Software,Gavin,gavin@hooli.example,2026-01-06,邮件,sent the deck,"+sandbox.RepID, ",")},
	}, followup.SheetToday(time.Now(), time.UTC))
	if _, err := e.db.ImportSheet(ctx, sheet, followup.ImportOptions{File: "t.csv", ActorID: "cli", Surface: "cli"}); err != nil {
		t.Fatal(err)
	}

	needles := []string{"13800009999", "peter@initech.example", "11010519491231002X", "13911112222", "gavin@hooli.example"}
	for _, c := range []string{"13800005678", "13900001111", "13700002222", "13600003333", "13500004444", "91310115MA1K4C2D77", "91440300MA5G9R0T38"} {
		needles = append(needles, c) // the demo's
	}
	storagetest.AssertNoPlaintext(t, e.db, needles...)
	var sealed int
	if err := e.db.SQLX().Get(&sealed, `SELECT count(*) FROM contacts WHERE phone_enc LIKE 'v1:%'`); err != nil || sealed != 7 {
		t.Errorf("%d contacts with a sealed phone (%v), want the 5 demo ones, Initech and Umbrella", sealed, err)
	}

	// Another rep sees the customer once it is shared with them, and its personal data masked.
	if res := e.command(sandbox.RepID, "share Acme <@"+sandbox.RepZHID+">"); !strings.Contains(string(res.Response), "Shared") {
		t.Fatalf("share = %s", res.Response)
	}
	masked := e.command(sandbox.RepZHID, "show Acme")
	if body := string(masked.Response); !strings.Contains(body, "138****5678") || strings.Contains(body, "13800005678") || !strings.Contains(body, "9131**********2D77") {
		t.Errorf("the other rep's card = %s, want the phone and credit code masked", body)
	}
	full := e.command(sandbox.ManagerID, "show Acme")
	if body := string(full.Response); !strings.Contains(body, "`13800005678`") || !strings.Contains(body, "91310115MA1K4C2D77") {
		t.Errorf("the manager's card = %s, want the phone and credit code in full", body)
	}
}
