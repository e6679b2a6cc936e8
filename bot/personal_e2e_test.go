package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage/storagetest"
)

const (
	acmePhone    = "+86 138-0000-5678"
	acmeEmail    = "wang.jun@acme.example"
	acmeIDNumber = "91310000MA1FL8XQ37"
)

// newCustomerWithPersonalData adds Acme through the New customer form with every personal
// field filled in, as rep would.
func (h *harness) newCustomerWithPersonalData(user string) int64 {
	h.t.Helper()
	h.command(user, "new")
	status, res := h.submit(user, "new_customer", map[string]any{
		"name": text("Acme Trading Co"), "industry": text("Manufacturing"), "tier": pick("A"), "source": pick("trade_show"),
		"contact_name": text("Wang Jun"), "contact_phone": text(acmePhone), "contact_email": text(acmeEmail),
		"id_number": text("9131 0000 ma1f l8xq 37"),
	})
	if status != http.StatusOK || res != nil {
		h.t.Fatalf("new_customer = %d %v", status, res)
	}
	var id int64
	if err := h.db.SQLX().Get(&id, `SELECT id FROM customers WHERE name = 'Acme Trading Co'`); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// views counts the full views of a customer's personal data by viewer in the audit log.
func (h *harness) views(viewer string, customerID int64) int {
	h.t.Helper()
	return h.count(`SELECT count(*) FROM audit_log WHERE action = 'view' AND entity = 'customer' AND entity_id = $1::text AND actor_id = $2`, customerID, viewer)
}

func TestCustomerCardShowsPersonalDataToOwnerManagerAndAdminOnly(t *testing.T) {
	h := newHarness(t)
	h.register(rep, rep2, admin, boss)
	if _, err := h.db.SaveTeam(context.Background(), followup.TeamSettings{Name: "East", ManagerID: boss, MemberIDs: []string{rep, rep2}}, admin); err != nil {
		t.Fatal(err)
	}
	id := h.newCustomerWithPersonalData(rep)
	storagetest.AssertNoPlaintext(t, h.db, "13800005678", acmeEmail, acmeIDNumber)
	// Another rep sees a customer only when it is shared with them, and then masked.
	if _, res := h.command(rep, "share Acme <@"+rep2+"|li>"); !strings.Contains(res.Text, "Shared") {
		t.Fatalf("share = %q", res.Raw)
	}

	for _, tc := range []struct {
		name, viewer string
		full         bool
	}{
		{"the owner", rep, true},
		{"the owner's manager", boss, true},
		{"an admin", admin, true},
		{"another rep the customer is shared with", rep2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, res := h.command(tc.viewer, "show Acme")
			if status != http.StatusOK {
				t.Fatalf("show = %d", status)
			}
			fullValues := []string{"`+8613800005678`", "`" + acmeEmail + "`", "`" + acmeIDNumber + "`"}
			maskedValues := []string{"`+86 138****5678`", "`w***@acme.example`", "`9131**********XQ37`"}
			want, notWant := maskedValues, fullValues
			if tc.full {
				want, notWant = fullValues, maskedValues
			}
			for _, v := range want {
				if !strings.Contains(res.Raw, v) {
					t.Errorf("card lacks %s: %s", v, res.Raw)
				}
			}
			for _, v := range notWant {
				if strings.Contains(res.Raw, v) {
					t.Errorf("card shows %s: %s", v, res.Raw)
				}
			}
			if strings.Contains(res.Raw, "13800005678") != tc.full {
				t.Errorf("the whole number on the card: %v, want %v", !tc.full, tc.full)
			}
			wantViews := 0
			if tc.full {
				wantViews = 3 // phone, email, ID number
			}
			if got := h.views(tc.viewer, id); got != wantViews {
				t.Errorf("%d view rows for %s, want %d", got, tc.viewer, wantViews)
			}
			note := "masked: only the customer's owner"
			if tc.full {
				note = "this view is recorded in the audit log"
			}
			if !strings.Contains(res.Raw, note) {
				t.Errorf("card does not say %q: %s", note, res.Raw)
			}
		})
	}

	t.Run("a manager of another team", func(t *testing.T) {
		h.register(repZH)
		if _, err := h.db.SaveTeam(context.Background(), followup.TeamSettings{Name: "West", ManagerID: repZH, MemberIDs: []string{}}, admin); err != nil {
			t.Fatal(err)
		}
		// Not their team's customer: they do not see it at all.
		_, res := h.command(repZH, "show Acme")
		if strings.Contains(res.Raw, "138") || strings.Contains(res.Raw, "C202611001") || h.views(repZH, id) != 0 {
			t.Errorf("another team's manager sees %s", res.Raw)
		}
	})
}

func TestNewCustomerDuplicateByIDNumber(t *testing.T) {
	h := newHarness(t)
	h.newCustomerWithPersonalData(rep)
	h.command(rep2, "new")
	status, res := h.submit(rep2, "new_customer", map[string]any{
		"name": text("Acme Shanghai"), "industry": text("Retail"), "tier": pick("B"), "source": pick("ads"),
		"contact_name": text("Zhang"), "contact_phone": text("139 1111 2222"), "id_number": text(acmeIDNumber),
	})
	if status != http.StatusOK || res["response_action"] != "push" {
		t.Fatalf("same credit code: %v, want the match shown first", res)
	}
	if raw := mustJSON(t, res); !strings.Contains(raw, "Acme Trading Co") || strings.Contains(raw, acmeIDNumber) || strings.Contains(raw, "13800005678") {
		t.Errorf("duplicate view %s, want the match named and no personal data", raw)
	}
	// A typo in the check character is caught before anything is looked up.
	h.command(rep2, "new")
	_, res = h.submit(rep2, "new_customer", map[string]any{
		"name": text("Acme Beijing"), "industry": text("Retail"), "tier": pick("B"), "source": pick("ads"),
		"contact_name": text("Zhang"), "contact_phone": text("139 1111 3333"), "id_number": text("91310000MA1FL8XQ3K"),
	})
	errs, _ := res["errors"].(map[string]any)
	if msg, _ := errs["id_number"].(string); !strings.Contains(msg, "check character") {
		t.Errorf("errors = %v, want the ID number's check character named", res)
	}
}

func TestAuditCommand(t *testing.T) {
	h := newHarness(t)
	h.register(rep, admin)
	id := h.newCustomerWithPersonalData(rep)

	t.Run("a rep is refused politely", func(t *testing.T) {
		_, res := h.command(rep, "audit Acme")
		if !strings.Contains(res.Text, "The audit trail is for admins") {
			t.Errorf("answer = %q", res.Text)
		}
	})

	// The owner looks at the card 8 times: 3 view rows each, 24 in all, and the creation.
	for range 8 {
		h.command(rep, "show Acme")
	}
	_, res := h.command(admin, "audit Acme")
	if !strings.Contains(res.Text, "Audit trail of Acme Trading Co") {
		t.Fatalf("answer = %s", res.Raw)
	}
	var page struct {
		Blocks []struct {
			Type string `json:"type"`
			Text struct {
				Text string `json:"text"`
			} `json:"text"`
			Elements []struct {
				ActionID string `json:"action_id"`
				Value    string `json:"value"`
			} `json:"elements"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(res.Raw), &page); err != nil {
		t.Fatal(err)
	}
	body := page.Blocks[0].Text.Text
	if got := strings.Count(body, "\n• "); got != 20 {
		t.Errorf("first page has %d rows, want 20: %s", got, body)
	}
	if !strings.Contains(body, "<@"+rep+"> · saw the phone number in full · slack") || strings.Contains(body, "added the customer") {
		t.Errorf("first page, newest first, should hold views only: %s", body)
	}
	if strings.Contains(res.Raw, "13800005678") || strings.Contains(res.Raw, acmeIDNumber) {
		t.Errorf("the audit trail shows personal data: %s", res.Raw)
	}
	var older string
	for _, b := range page.Blocks {
		for _, e := range b.Elements {
			if e.ActionID == "audit_older" {
				older = e.Value
			}
		}
	}
	if !strings.HasPrefix(older, strconv.FormatInt(id, 10)+":") {
		t.Fatalf("no Older button with the customer's id: %s", res.Raw)
	}

	url := h.slack.ResponseURL()
	h.press(admin, "audit_older", older, url)
	responses := h.slack.AllResponses()
	last := responses[len(responses)-1]
	second := unescapeJSON(last.Body)
	if !last.ReplaceOriginal || !strings.Contains(second, "added the customer with the phone number, the email, the ID number") {
		t.Errorf("second page = %s, want it to end with the creation", second)
	}
	if got := strings.Count(second, "• "); got != 5 {
		t.Errorf("second page has %d rows, want the 4 oldest views and the creation: %s", got, second)
	}
	if strings.Contains(second, "audit_older") {
		t.Errorf("the last page offers an older one: %s", second)
	}
}
