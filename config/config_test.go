package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
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
}

func TestLoadNamesTheBadVariable(t *testing.T) {
	for name, value := range map[string]string{
		"SLACK_BOT_TOKEN":  "xoxp-user-token",
		"SLACK_APP_TOKEN":  "xoxb-not-an-app-token",
		"DATABASE_URL":     "mysql://x",
		"REDIS_URL":        "localhost:6379",
		"HTTP_ADDR":        "3000",
		"LOG_LEVEL":        "loud",
		"DEFAULT_TIMEZONE": "Mars/Olympus",
		"DEFAULT_LOCALE":   "fr",
		"SCHEDULER":        "maybe",
		"REMINDER_CRON":    "every minute",
		"WORK_HOURS":       "18:00-09:00",
		"WORK_DAYS":        "Funday",
		"PII_KEY":          "c2hvcnQ=",
		"HOLIDAY_CALENDAR": "mars",
		"REDIS_MODE":       "mesh",
		"DB_MAX_CONNS":     "0",
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
	for _, name := range []string{"REDIS_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("RequireServe() = %v, want it to name %s", err, name)
		}
	}
}

func TestSecretsAreMasked(t *testing.T) {
	c, err := Load(env(map[string]string{
		"SLACK_BOT_TOKEN":      "xoxb-123-secret",
		"SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
		"DATABASE_URL":         "postgres://app:hunter2@db:5432/followup",
		"PII_KEY":              "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "config", c)
	for _, secret := range []string{"123-secret", "8f742231", "hunter2", "MDEyMzQ1"} {
		if strings.Contains(b.String(), secret) {
			t.Errorf("logged config contains %q: %s", secret, b.String())
		}
	}
}
