package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.HTTPAddr, ":3000"; got != want {
		t.Errorf("HTTPAddr = %q, want %q", got, want)
	}
	if got, want := c.WorkHours.String(), "09:00-18:00"; got != want {
		t.Errorf("WorkHours = %q, want %q", got, want)
	}
	if !c.WorkDays.Has(time.Monday) || c.WorkDays.Has(time.Saturday) {
		t.Errorf("WorkDays = %v, want Mon-Fri", c.WorkDays)
	}
	if !c.Scheduler || c.DefaultLocale != "en" || c.SlackAPIURL != DefaultSlackAPIURL {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if got, want := c.ComplaintDeadline, (followup.ComplaintDeadline{Days: 2}); got != want {
		t.Errorf("ComplaintDeadline = %+v, want %+v (2 working days)", got, want)
	}
	c, err = Load(env(map[string]string{"COMPLAINT_DEADLINE": "1d4h"}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.ComplaintDeadline, (followup.ComplaintDeadline{Days: 1, Hours: 4}); got != want {
		t.Errorf("COMPLAINT_DEADLINE=1d4h: %+v, want %+v", got, want)
	}
}

func TestLoadNamesTheBadVariable(t *testing.T) {
	for name, value := range map[string]string{
		"SLACK_BOT_TOKEN":    "xoxp-user-token",
		"SLACK_APP_TOKEN":    "xoxb-not-an-app-token",
		"DATABASE_URL":       "mysql://x",
		"REDIS_URL":          "localhost:6379",
		"HTTP_ADDR":          "3000",
		"LOG_LEVEL":          "loud",
		"DEFAULT_TIMEZONE":   "Mars/Olympus",
		"DEFAULT_LOCALE":     "fr",
		"SCHEDULER":          "maybe",
		"REMINDER_CRON":      "every minute",
		"WORK_HOURS":         "18:00-09:00",
		"WORK_DAYS":          "Funday",
		"PII_KEY":            "c2hvcnQ=",
		"PII_KEY_OLD":        "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=,c2hvcnQ=",
		"HOLIDAY_CALENDAR":   "mars",
		"REDIS_MODE":         "mesh",
		"DB_MAX_CONNS":       "0",
		"COMPLAINT_DEADLINE": "two days",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(env(map[string]string{name: value}))
			if err == nil {
				t.Fatalf("Load accepted %s=%q", name, value)
			}
			if msg := err.Error(); !strings.Contains(msg, name) || strings.Contains(msg, "\n") {
				t.Errorf("error %q should name %s on one line", msg, name)
			}
		})
	}
}

func TestRequireServe(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://localhost/x"}))
	if err != nil {
		t.Fatal(err)
	}
	err = c.RequireServe()
	for _, name := range []string{"REDIS_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PII_KEY"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("RequireServe() = %v, want it to name %s", err, name)
		}
	}
	if err := c.RequirePIIKey(); err == nil || !strings.Contains(err.Error(), "PII_KEY") {
		t.Errorf("RequirePIIKey() = %v, want it to name PII_KEY", err)
	}
	// The sandbox needs no key: it brings its own, for its demo data.
	if err := c.RequireSandbox(); err != nil && strings.Contains(err.Error(), "PII_KEY") {
		t.Errorf("RequireSandbox() = %v, want no PII_KEY", err)
	}
}

func TestPIIKeys(t *testing.T) {
	const current, old1, old2 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODk=", "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
	c, err := Load(env(map[string]string{"PII_KEY": current, "PII_KEY_OLD": old1 + ", " + old2}))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.PIIKey) != "0123456789abcdef0123456789abcdef" || len(c.PIIOldKeys) != 2 ||
		string(c.PIIOldKeys[0]) != "abcdef0123456789abcdef0123456789" || string(c.PIIOldKeys[1]) != "fedcba9876543210fedcba9876543210" {
		t.Errorf("keys = %q, old %q", c.PIIKey, c.PIIOldKeys)
	}
	if err := c.RequirePIIKey(); err != nil {
		t.Errorf("RequirePIIKey() = %v with PII_KEY set", err)
	}
	_, err = Load(env(map[string]string{"PII_KEY_OLD": old1}))
	if err == nil || !strings.Contains(err.Error(), "PII_KEY_OLD needs PII_KEY") {
		t.Errorf("PII_KEY_OLD alone: %v, want it refused", err)
	}
	_, err = Load(env(map[string]string{"PII_KEY": current, "PII_KEY_OLD": old1 + ",c2hvcnQ="}))
	if err == nil || !strings.Contains(err.Error(), "PII_KEY_OLD key 2") {
		t.Errorf("a short second old key: %v, want it named", err)
	}
}

func TestSecretsAreMasked(t *testing.T) {
	c, err := Load(env(map[string]string{
		"SLACK_BOT_TOKEN":      "xoxb-123-secret",
		"SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
		"DATABASE_URL":         "postgres://app:hunter2@db:5432/followup",
		"PII_KEY":              "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"PII_KEY_OLD":          "YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODk=",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "config", c)
	for _, secret := range []string{"123-secret", "8f742231", "hunter2", "MDEyMzQ1", "YWJjZGVm", "0123456789abcdef", "abcdef0123"} {
		if strings.Contains(b.String(), secret) {
			t.Errorf("logged config contains %q: %s", secret, b.String())
		}
	}
}
