package bot

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// `/followup audit <customer>` lists a customer's audit trail for admins: who added it, who
// changed or handed it over, and who saw its personal data in full, newest first, a page at
// a time.

const (
	actionAuditCustomer = "audit_customer" // value: customer id
	actionAuditOlder    = "audit_older"    // value: "<customer id>:<oldest id shown>"
)

// auditPageSize rows fit a section's 3,000 characters with room to spare (a row is at most
// about 120), and a screenful is what an admin reads before narrowing down.
const auditPageSize = 20

// showAudit answers `/followup audit <customer>`.
func (b *Bot) showAudit(ctx context.Context, p followup.Person, ref string) response {
	t := b.texter(p.Locale)
	if !isAdmin(p) {
		return ephemeral(t("audit_admins_only"))
	}
	if ref == "" {
		return ephemeral(t("audit_usage"))
	}
	return b.forCustomer(ctx, p, ref, ephemeral(t("ql_not_found", esc(ref))), actionAuditCustomer, "audit_choices",
		func(c followup.Customer) response { return b.auditPage(ctx, p, c, 0) })
}

// auditPage renders the rows of c's trail older than before (0: the newest), with a button
// to the next page when there is one.
func (b *Bot) auditPage(ctx context.Context, p followup.Person, c followup.Customer, before int64) response {
	t := b.texter(p.Locale)
	entries, err := b.store.FindAuditTrail(ctx, c.ID, before, auditPageSize+1)
	if err != nil {
		b.log.ErrorContext(ctx, "audit trail", "customer", c.ID, "err", err)
		return ephemeral(t("err_read"))
	}
	more := len(entries) > auditPageSize
	if more {
		entries = entries[:auditPageSize]
	}
	title := t("audit_title", esc(c.Name), esc(c.Code))
	body := t("audit_none")
	if len(entries) > 0 {
		lines := make([]string, len(entries))
		for i, e := range entries {
			lines[i] = b.auditLine(p, e)
		}
		body = joinClipped(lines, 2900)
	}
	blocks := []slack.Block{section("*" + title + "*\n" + body)}
	if more {
		value := strconv.FormatInt(c.ID, 10) + ":" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
		blocks = append(blocks, slack.NewActionBlock("audit_pages", button(actionAuditOlder, t("audit_older"), value)))
	}
	blocks = append(blocks, slack.NewContextBlock("audit_note", mrkdwn(t("audit_note"))))
	return ephemeral(title, blocks...)
}

// auditLine is one row: when, who, what, where.
func (b *Bot) auditLine(p followup.Person, e followup.AuditEntry) string {
	who := "`" + esc(e.ActorID) + "`" // cli, serve...
	if strings.HasPrefix(e.ActorID, "U") || strings.HasPrefix(e.ActorID, "W") {
		who = "<@" + e.ActorID + ">"
	}
	line := "• " + b.formatDay(e.At, p) + " " + e.At.In(b.loc(p)).Format("15:04") + " · " + who + " · " + b.auditWhat(p.Locale, e)
	if e.Surface != "" {
		line += " · " + esc(clip(e.Surface, 20))
	}
	return line
}

// auditWhat says what a row records, in locale.
func (b *Bot) auditWhat(locale string, e followup.AuditEntry) string {
	field := func(f any) string {
		name, _ := f.(string)
		if _, ok := b.text["audit_field_"+name]; ok {
			return b.tr(locale, "audit_field_"+name)
		}
		return esc(clip(name, 40))
	}
	switch e.Action {
	case followup.AuditView:
		return b.tr(locale, "audit_viewed", field(e.Detail["field"]))
	case followup.AuditCreate:
		fields, _ := e.Detail["fields"].([]any)
		if len(fields) == 0 {
			return b.tr(locale, "audit_created")
		}
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = field(f)
		}
		return b.tr(locale, "audit_created_with", strings.Join(names, ", "))
	case "reassign":
		return b.tr(locale, "audit_reassigned")
	case followup.AuditShare:
		with, _ := e.Detail["with"].(string)
		return b.tr(locale, "audit_shared", esc(clip(with, 40)))
	}
	// Another record's verb (a later feature's): shown as written, with its detail.
	what := esc(clip(e.Action, 40))
	if len(e.Detail) > 0 {
		keys := make([]string, 0, len(e.Detail))
		for k := range e.Detail {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = esc(clip(k+"="+fmt.Sprint(e.Detail[k]), 60))
		}
		what += " (" + strings.Join(parts, ", ") + ")"
	}
	return what
}

// handleAuditAction answers the buttons of an audit trail: a customer picked among several,
// or the next page. It runs after the ack and replaces the message.
func (b *Bot) handleAuditAction(ctx context.Context, p followup.Person, a *slack.BlockAction, from origin) bool {
	if a.ActionID != actionAuditCustomer && a.ActionID != actionAuditOlder {
		return false
	}
	value := a.Value
	b.later(ctx, "audit trail", func(ctx context.Context) error {
		idText, beforeText, _ := strings.Cut(value, ":")
		id, _ := strconv.ParseInt(idText, 10, 64)
		before, _ := strconv.ParseInt(beforeText, 10, 64)
		res := ephemeral(b.tr(p.Locale, "audit_admins_only"))
		if isAdmin(p) { // no longer an admin since the first page: no more pages
			c, err := b.store.FindCustomer(ctx, id)
			res = ephemeral(b.failureText(p.Locale, err))
			if err == nil {
				res = b.auditPage(ctx, p, c, before)
			}
		}
		res.ReplaceOriginal = true
		return b.notify(ctx, p, from, res)
	})
	return true
}
