package bot_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// newCustomer adds a customer through /followup new and the modal, as a rep would.
func (h *harness) newCustomer(user, name, phone string) {
	h.t.Helper()
	if status, res := h.command(user, "new"); status != http.StatusOK || res.Text != "" {
		h.t.Fatalf("/followup new = %d %q", status, res.Raw)
	}
	status, res := h.submit(user, "new_customer", map[string]any{
		"name": text(name), "industry": text("Manufacturing"), "tier": pick("A"),
		"source": pick("trade_show"), "contact_name": text("Wang Jun"), "contact_phone": text(phone),
	})
	if status != http.StatusOK || res != nil {
		h.t.Fatalf("new_customer submission = %d %v", status, res)
	}
}

func TestNewCustomerModalSavesAndConfirms(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "+86 138-0000-5678")

	if got, want := h.count(`SELECT count(*) FROM customers WHERE name = 'Acme Trading Co' AND tier = 'A' AND owner_id = $1`, rep), 1; got != want {
		t.Fatalf("customers = %d, want %d", got, want)
	}
	var id int64
	if err := h.db.SQLX().Get(&id, `SELECT id FROM customers`); err != nil {
		t.Fatal(err)
	}
	if d, err := h.db.RevealPersonalData(context.Background(), id, "test", "test"); err != nil || len(d.Contacts) != 1 || d.Contacts[0].Phone != "+8613800005678" || !d.Contacts[0].Primary {
		t.Errorf("primary contact = %+v, %v, want the phone normalised", d.Contacts, err)
	}
	if got := h.count(`SELECT count(*) FROM contacts WHERE phone_enc LIKE 'v1:%' AND phone_hash IS NOT NULL`); got != 1 {
		t.Errorf("contacts with a sealed, hashed phone = %d, want 1", got)
	}
	if got := h.count(`SELECT count(*) FROM customers WHERE code ~ '^C202611[0-9]{3}$'`); got != 1 {
		t.Errorf("generated code does not follow C+yyyymm+seq")
	}
	responses := h.slack.AllResponses()
	if len(responses) != 1 || !strings.Contains(responses[0].Text, "Added *Acme Trading Co*") {
		t.Fatalf("confirmation = %+v, want one response_url message naming the customer", responses)
	}
	if got := h.count(`SELECT count(*) FROM people WHERE slack_id = $1 AND tz = 'Asia/Shanghai'`, rep); got != 1 {
		t.Errorf("rep was not registered with the time zone from users.info")
	}
}

func TestNewCustomerFieldErrors(t *testing.T) {
	h := newHarness(t)
	h.command(rep, "new")
	status, res := h.submit(rep, "new_customer", map[string]any{
		"name": text("  "), "industry": text("Retail"), "tier": pick("B"), "source": pick("referral"),
		"contact_name": text("Li"), "contact_phone": text("call me"), "contact_email": text("not-an-email"),
	})
	if status != http.StatusOK || res["response_action"] != "errors" {
		t.Fatalf("submission = %d %v, want response_action errors", status, res)
	}
	errs, _ := res["errors"].(map[string]any)
	for field, want := range map[string]string{"name": "Enter the customer's name.", "contact_phone": "does not look like a phone number", "contact_email": "does not look like an email address"} {
		if msg, _ := errs[field].(string); !strings.Contains(msg, want) {
			t.Errorf("error on %s = %q, want %q", field, msg, want)
		}
	}
	if got := h.count(`SELECT count(*) FROM customers`); got != 0 {
		t.Errorf("customers = %d after a rejected form, want 0", got)
	}
}

func TestNewCustomerDuplicateIsShownBeforeSaving(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")

	h.command(rep2, "new")
	status, res := h.submit(rep2, "new_customer", map[string]any{
		"name": text("ACME trading co"), "industry": text("Retail"), "tier": pick("B"),
		"source": pick("ads"), "contact_name": text("Zhang"), "contact_phone": text("139 1111 2222"),
	})
	if status != http.StatusOK || res["response_action"] != "push" {
		t.Fatalf("duplicate submission = %d %v, want a pushed confirmation", status, res)
	}
	if got := h.count(`SELECT count(*) FROM customers`); got != 1 {
		t.Fatalf("customers = %d before confirming, want 1", got)
	}
	// The pushed view goes through the fake's views API only in real Slack; here the
	// bot answered with it, so submit it as Slack would after the rep pressed "Save anyway".
	view, _ := res["view"].(map[string]any)
	if view["callback_id"] != "new_customer_duplicate" || !strings.Contains(mustJSON(t, view), "Acme Trading Co") {
		t.Fatalf("pushed view = %v, want the look-alike listed", view)
	}
	view["id"] = "V0PUSHED01"
	status, res = h.submitView(rep2, view, nil)
	if status != http.StatusOK || res["response_action"] != "clear" {
		t.Fatalf("confirm = %d %v, want clear", status, res)
	}
	if got := h.count(`SELECT count(*) FROM customers`); got != 2 {
		t.Errorf("customers = %d after confirming, want 2", got)
	}
	// A second press of the same button (Slack retry or double click) saves nothing more.
	h.submitView(rep2, view, nil)
	if got := h.count(`SELECT count(*) FROM customers`); got != 2 {
		t.Errorf("customers = %d after a repeated confirmation, want 2", got)
	}
}

func TestNewCustomerDuplicateByPhone(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.command(rep, "new")
	_, res := h.submit(rep, "new_customer", map[string]any{
		"name": text("Totally Different Ltd"), "industry": text("Retail"), "tier": pick("C"),
		"source": pick("other"), "contact_name": text("Wang"), "contact_phone": text("138 0000 5678"),
	})
	if res["response_action"] != "push" {
		t.Fatalf("same phone: %v, want the match shown first", res)
	}
}
