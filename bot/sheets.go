package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/sheet"
)

// Spreadsheets in Slack: `/followup export ...` sends a file to the requester's DM, and a
// CSV or XLSX file an admin sends the bot in a DM is imported as `followup import` would.
// Both run after Slack was answered, and report in the DM.

// importTimeout bounds an import started from Slack: a sheet of MaxSheetRows rows takes
// seconds, not the half minute other post-ack work gets.
const importTimeout = 5 * time.Minute

// problemsShown is how many of a failed import's problems a DM lists; a section holds
// 3,000 characters, and beyond a screenful the admin fixes the sheet and tries again.
const problemsShown = 25

// exportRequest is `/followup export` read: what, as which file, in which language, over
// which days.
type exportRequest struct {
	kind     followup.ExportKind
	format   sheet.Format
	locale   string
	from, to string
}

// parseExportText reads `customers|followups|review [csv|xlsx] [en|zh] [--from DATE] [--to DATE]`,
// in any order after the kind; --format and --lang may be spelled out as on the command
// line. The language defaults to the requester's.
func parseExportText(text, locale string) (exportRequest, bool) {
	words := strings.Fields(text)
	if len(words) == 0 {
		return exportRequest{}, false
	}
	kind, ok := followup.ParseExportKind(words[0])
	req := exportRequest{kind: kind, format: sheet.XLSX, locale: locale}
	for i := 1; ok && i < len(words); i++ {
		w := strings.ToLower(strings.TrimLeft(words[i], "-"))
		if v, found := strings.CutPrefix(w, "format="); found {
			w = v
		} else if v, found := strings.CutPrefix(w, "lang="); found {
			w = v
		}
		switch w {
		case "format", "lang":
			continue // the value follows
		case "csv", "xlsx":
			req.format = sheet.Format(w)
		case "en", "english":
			req.locale = followup.LocaleEN
		case "zh", "cn", "中文":
			req.locale = followup.LocaleZH
		case "from", "to":
			if i+1 == len(words) {
				return req, false
			}
			if w == "from" {
				req.from = words[i+1]
			} else {
				req.to = words[i+1]
			}
			i++
		default:
			ok = false
		}
	}
	return req, ok
}

// exportScope is whose customers a person may export: everyone's for an admin, their
// teams' for a manager; ok is false for anyone else.
func (b *Bot) exportScope(ctx context.Context, p followup.Person) (followup.DigestScope, bool, error) {
	if isAdmin(p) {
		return followup.DigestScope{All: true}, true, nil
	}
	v, err := b.viewer(ctx, p)
	if err != nil {
		return followup.DigestScope{}, false, err
	}
	scope := followup.DigestScope{TeamIDs: v.ManagedTeamIDs} // the teams p may manage
	return scope, !scope.Empty(), nil
}

// export answers `/followup export ...`: it says the file is on its way and sends it to
// the requester's DM once built.
func (b *Bot) export(ctx context.Context, p followup.Person, text string) response {
	t := b.texter(p.Locale)
	req, ok := parseExportText(text, p.Locale)
	if !ok {
		return ephemeral(t("export_usage"))
	}
	scope, allowed, err := b.exportScope(ctx, p)
	if err != nil {
		b.log.ErrorContext(ctx, "export scope", "err", err)
		return ephemeral(t("err_read"))
	}
	if !allowed {
		return ephemeral(t("export_not_allowed"))
	}
	if req.kind == followup.ExportCustomers && (req.from != "" || req.to != "") {
		return ephemeral(t("export_usage"))
	}
	from, to, err := followup.ExportPeriod(req.kind, req.from, req.to, b.now(), b.loc(p))
	if err != nil {
		return ephemeral(t("export_bad_date") + "\n" + t("export_usage"))
	}
	b.later(ctx, "export", func(ctx context.Context) error {
		if err := b.sendExport(ctx, p, req, scope, from, to); err != nil {
			if _, _, dmErr := b.dm(ctx, p.SlackID, response{Text: t("export_failed")}); dmErr != nil {
				b.log.ErrorContext(ctx, "tell export failure", "err", dmErr)
			}
			return err
		}
		return nil
	})
	return ephemeral(t("export_preparing"))
}

// sendExport builds the file and uploads it into the requester's DM with the three-step
// upload (files.getUploadURLExternal, the bytes, files.completeUploadExternal).
func (b *Bot) sendExport(ctx context.Context, p followup.Person, req exportRequest, scope followup.DigestScope, from, to time.Time) error {
	table, err := followup.BuildExport(ctx, b.store, req.kind, scope, from, to, followup.ExportOptions{
		Locale: req.locale, Location: b.cfg.DefaultTimezone, WorkStart: b.cfg.WorkHours.Start})
	if err != nil {
		return fmt.Errorf("build export: %w", err)
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, req.format, table); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	if err := b.store.RecordExport(ctx, p.SlackID, string(req.kind), len(table.Rows), "slack"); err != nil {
		return err // an export that cannot be audited is not sent
	}
	ch, _, _, err := b.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{p.SlackID}})
	if err != nil {
		return fmt.Errorf("conversations.open: %w", slackError(err))
	}
	name := followup.ExportFileName(req.kind, from, to, b.now(), b.loc(p), string(req.format))
	_, err = b.slack.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: name, Title: name, FileSize: buf.Len(), Reader: &buf, Channel: ch.ID,
		InitialComment: b.tr(p.Locale, "export_done", b.tr(p.Locale, "export_kind_"+string(req.kind)), len(table.Rows)),
	})
	if err != nil {
		return fmt.Errorf("upload export: %w", slackError(err))
	}
	return nil
}

// importRequest is what the message a file came with asks for: a dry run, and a default
// owner named by a mention or --owner.
type importRequest struct {
	dryRun bool
	owner  string
}

var (
	dryRunWords  = regexp.MustCompile(`(?i)--dry-run|\bdry[ -]?run\b|预览|试导入|试运行`)
	ownerMention = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|[^>]*)?>`)
	ownerFlag    = regexp.MustCompile(`(?i)(?:--owner|owner|负责人)[\s=：:]+(\S+)`)
)

func parseImportText(text string) importRequest {
	req := importRequest{dryRun: dryRunWords.MatchString(text)}
	if m := ownerMention.FindStringSubmatch(text); m != nil {
		req.owner = m[1]
	} else if m := ownerFlag.FindStringSubmatch(text); m != nil {
		req.owner = m[1]
	}
	return req
}

// isSpreadsheet reports whether a shared file may be a follow-up sheet, by name or by the
// type Slack detected.
func isSpreadsheet(f slack.File) bool {
	return sheet.FormatOf(f.Name) != "" || f.Filetype == "csv" || f.Filetype == "xlsx"
}

// handleFileShare imports the spreadsheets an admin sends the bot in a DM; anyone else is
// told politely that importing is for admins.
func (b *Bot) handleFileShare(ctx context.Context, ev *slackevents.MessageEvent) error {
	p, err := b.person(ctx, ev.User)
	if err != nil {
		return err
	}
	t := b.texter(p.Locale)
	thread := threadOf(ev)
	var files []slack.File
	if ev.Message != nil {
		files = ev.Message.Files
	}
	if !isAdmin(p) {
		return b.say(ctx, ev.Channel, thread, t("import_admins_only"), nil)
	}
	req := parseImportText(ev.Text)
	for _, f := range files {
		if err := b.importFile(ctx, p, ev.Channel, thread, f, req); err != nil {
			return err
		}
	}
	return nil
}

// importFile downloads one shared file with the bot token and imports it, reporting in
// the thread of the message it came with.
func (b *Bot) importFile(ctx context.Context, p followup.Person, channel, thread string, f slack.File, req importRequest) error {
	t := b.texter(p.Locale)
	say := func(text string) error { return b.say(ctx, channel, thread, text, nil) }
	switch {
	case !isSpreadsheet(f):
		return say(t("import_not_sheet", esc(clip(f.Name, 100))))
	case f.Size > followup.MaxSheetBytes:
		return say(t("import_too_big", followup.MaxSheetBytes>>20))
	}
	data, err := b.download(ctx, f)
	if err != nil {
		b.log.ErrorContext(ctx, "download shared file", "file", f.ID, "err", err)
		return say(t("import_download_failed"))
	}
	sheets, err := sheet.Read(bytes.NewReader(data))
	if err != nil {
		return say(b.unreadableText(p.Locale, f.Name, err))
	}
	s := followup.ParseWorkbook(sheets, followup.SheetToday(b.now(), b.loc(p)))
	report, err := b.store.ImportSheet(ctx, s, followup.ImportOptions{
		File: f.Name, DefaultOwner: req.owner, ActorID: p.SlackID, Surface: "slack", DryRun: req.dryRun,
		Location: b.cfg.DefaultTimezone, WorkStart: b.cfg.WorkHours.Start, Cadence: b.cfg.Cadence,
	})
	var sheetErr *followup.SheetError
	switch {
	case errors.As(err, &sheetErr):
		return say(b.importProblemsText(p.Locale, report))
	case err != nil:
		if followup.ErrorCode(err) != followup.EINVALID {
			b.log.ErrorContext(ctx, "import sheet", "file", f.ID, "err", err)
		}
		return say(b.failureText(p.Locale, err))
	}
	b.log.InfoContext(ctx, "sheet imported", "file", f.ID, "by", p.SlackID, "dry_run", req.dryRun,
		"follow_ups", report.FollowUpsCreated, "customers", report.CustomersCreated)
	return say(b.importReportText(p.Locale, report))
}

// download fetches a shared file's bytes: url_private_download from the event, or from
// files.info when the event left it out.
func (b *Bot) download(ctx context.Context, f slack.File) ([]byte, error) {
	url := f.URLPrivateDownload
	if url == "" {
		info, _, _, err := b.slack.GetFileInfoContext(ctx, f.ID, 0, 0)
		if err != nil {
			return nil, fmt.Errorf("files.info: %w", slackError(err))
		}
		url = info.URLPrivateDownload
	}
	w := &cappedBuffer{max: followup.MaxSheetBytes}
	if err := b.slack.GetFileContext(ctx, url, w); err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return w.Bytes(), nil
}

// cappedBuffer refuses more than max bytes, so a file larger than it said costs no memory.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.Len()+len(p) > c.max {
		return 0, sheet.ErrTooLarge
	}
	return c.Buffer.Write(p)
}

// unreadableText says why a file is no sheet, in the person's language where the reason
// is one the reader names.
func (b *Bot) unreadableText(locale, name string, err error) string {
	key := "import_unreadable"
	switch {
	case errors.Is(err, sheet.ErrOldExcel):
		key = "import_old_excel"
	case errors.Is(err, sheet.ErrDate1904):
		key = "import_date1904"
	case errors.Is(err, sheet.ErrNotSpreadsheet):
		key = "import_not_sheet"
	case errors.Is(err, sheet.ErrTooLarge):
		return b.tr(locale, "import_too_big", followup.MaxSheetBytes>>20)
	}
	return b.tr(locale, key, esc(clip(name, 100)))
}

// importReportText is what an import did, or would do in a dry run.
func (b *Bot) importReportText(locale string, r followup.ImportReport) string {
	t := b.texter(locale)
	head := "import_done"
	if r.DryRun {
		head = "import_dry_run"
	}
	lines := []string{
		t(head, esc(clip(r.File, 100)), r.Rows),
		t("import_customers", r.CustomersCreated, r.CustomersMatched),
		t("import_followups", r.FollowUpsCreated),
		t("import_actions", r.ActionsCreated, r.ActionsOpen, r.ActionsOverdue, r.ActionsDone),
		t("import_skipped", r.RowsSkipped),
	}
	if len(r.IgnoredColumns) > 0 {
		lines = append(lines, t("import_ignored", esc(clip(strings.Join(r.IgnoredColumns, ", "), 300))))
	}
	return strings.Join(lines, "\n")
}

// importProblemsText lists why nothing was imported, row by row.
func (b *Bot) importProblemsText(locale string, r followup.ImportReport) string {
	t := b.texter(locale)
	lines := []string{t("import_failed", esc(clip(r.File, 100)), len(r.Problems))}
	for i, p := range r.Problems {
		if i == problemsShown {
			lines = append(lines, t("import_more_problems", len(r.Problems)-problemsShown))
			break
		}
		where := t("import_row", p.Row)
		if p.Column != "" {
			where += ", " + esc(clip(p.Column, 40))
		}
		lines = append(lines, "• "+where+": "+esc(b.tr(locale, p.Format(), p.Args()...)))
	}
	lines = append(lines, t("import_fix_and_retry"))
	return clip(strings.Join(lines, "\n"), 3900)
}
