package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/config"
	"github.com/followuphq/followup/sheet"
	"github.com/followuphq/followup/storage"
)

const importUsage = `usage: followup import [--dry-run] [--owner SLACKID] FILE
  FILE       a follow-up sheet, .csv or .xlsx, with Chinese or English headers
  --dry-run  report what would be imported, writing nothing
  --owner    owner of the rows whose 负责人 (owner) is empty or matches nobody`

const exportUsage = `usage: followup export customers|followups|review [--format csv|xlsx] [--out FILE] [--from DATE --to DATE] [--lang zh|en]
  --format   csv or xlsx (default: the --out extension, else xlsx)
  --out      the file to write (default: e.g. followups-20240512.xlsx here; - for stdout)
  --from/--to  days, both included, of followups and review (the review's default: the last 7 days)
  --lang     the headers' language: zh (default) or en`

// parseInterspersed parses flags wherever they stand among the arguments, as people type
// `followup import sheet.xlsx --dry-run`, and returns the other arguments.
func parseInterspersed(flags *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		args = flags.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// openChecked connects to Postgres with the personal data keys and refuses a schema older
// than this binary: a one-off command does not migrate a production database behind its
// operator's back. The commands that use it read or write personal data, so PII_KEY is
// required.
func openChecked(ctx context.Context, getenv func(string) string) (*storage.DB, config.Config, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, cfg, err
	}
	if cfg.DatabaseURL == "" {
		return nil, cfg, errors.New("config: DATABASE_URL is required (postgres://user:pass@host:5432/db)")
	}
	if err := cfg.RequirePIIKey(); err != nil {
		return nil, cfg, err
	}
	k, err := keyring(cfg)
	if err != nil {
		return nil, cfg, err
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL, storage.WithKeyring(k))
	if err != nil {
		return nil, cfg, err
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, cfg, errors.New(followup.ErrorMessage(err))
	}
	return db, cfg, nil
}

func importSheet(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	flags := flag.NewFlagSet("import", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	dryRun := flags.Bool("dry-run", false, "")
	owner := flags.String("owner", "", "")
	files, err := parseInterspersed(flags, args)
	if err != nil {
		return fmt.Errorf("import: %w\n%s", err, importUsage)
	}
	if len(files) != 1 {
		return errors.New(importUsage)
	}
	f, err := os.Open(files[0])
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	sheets, err := sheet.Read(f)
	if err != nil {
		return fmt.Errorf("import %s: %w", filepath.Base(files[0]), err)
	}
	db, cfg, err := openChecked(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now()
	s := followup.ParseWorkbook(sheets, followup.SheetToday(now, cfg.DefaultTimezone))
	report, err := db.ImportSheet(ctx, s, followup.ImportOptions{
		File: filepath.Base(files[0]), DefaultOwner: *owner, ActorID: "cli", Surface: "cli", DryRun: *dryRun,
		Location: cfg.DefaultTimezone, WorkStart: cfg.WorkHours.Start, Cadence: followup.DefaultCadence(),
	})
	var sheetErr *followup.SheetError
	switch {
	case errors.As(err, &sheetErr):
		writeImportReport(stdout, report)
		return fmt.Errorf("nothing was imported from %s: fix the rows listed and import it again", report.File)
	case err != nil:
		return fmt.Errorf("import %s: %s", filepath.Base(files[0]), userMessage(err))
	}
	writeImportReport(stdout, report)
	return nil
}

// userMessage is an error as an operator should read it: the domain's message when it has
// one, the error itself otherwise (the CLI has no log to hide details in).
func userMessage(err error) string {
	var fe *followup.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

// writeImportReport prints what an import did, or why it did nothing.
func writeImportReport(w io.Writer, r followup.ImportReport) {
	where := r.File
	if r.Sheet != "" {
		where += ", sheet " + r.Sheet
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(w, "Nothing was imported from %s: %d problem(s).\n", where, len(r.Problems))
		const shown = 100
		for i, p := range r.Problems {
			if i == shown {
				fmt.Fprintf(w, "  ... and %d more\n", len(r.Problems)-shown)
				break
			}
			fmt.Fprintln(w, "  "+p.String())
		}
		return
	}
	verb := "Imported"
	if r.DryRun {
		verb = "Dry run, nothing written; importing would read"
	}
	fmt.Fprintf(w, "%s %s: %d rows.\n", verb, where, r.Rows)
	fmt.Fprintf(w, "  customers: %d created, %d matched\n", r.CustomersCreated, r.CustomersMatched)
	fmt.Fprintf(w, "  follow-ups: %d created\n", r.FollowUpsCreated)
	fmt.Fprintf(w, "  next steps: %d created (%d open, %d of them overdue; %d done)\n", r.ActionsCreated, r.ActionsOpen, r.ActionsOverdue, r.ActionsDone)
	fmt.Fprintf(w, "  rows skipped as already imported: %d\n", r.RowsSkipped)
	if len(r.IgnoredColumns) > 0 {
		fmt.Fprintf(w, "  columns not imported: %s\n", strings.Join(r.IgnoredColumns, ", "))
	}
}

func exportSheet(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	formatFlag := flags.String("format", "", "")
	out := flags.String("out", "", "")
	fromDay := flags.String("from", "", "")
	toDay := flags.String("to", "", "")
	lang := flags.String("lang", "zh", "")
	what, err := parseInterspersed(flags, args)
	if err != nil {
		return fmt.Errorf("export: %w\n%s", err, exportUsage)
	}
	if len(what) != 1 {
		return errors.New(exportUsage)
	}
	kind, ok := followup.ParseExportKind(what[0])
	if !ok {
		return fmt.Errorf("export: unknown list %q\n%s", what[0], exportUsage)
	}
	if kind == followup.ExportCustomers && (*fromDay != "" || *toDay != "") {
		return errors.New("export customers: --from and --to apply to followups and review")
	}
	format := sheet.FormatOf(*out)
	if *formatFlag != "" {
		if format, err = sheet.ParseFormat(*formatFlag); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	} else if format == "" {
		format = sheet.XLSX
	}
	locale := followup.LocaleZH
	switch strings.ToLower(*lang) {
	case "en":
		locale = followup.LocaleEN
	case "zh", "zh-cn", "cn":
	default:
		return fmt.Errorf("export: --lang %s: use zh or en", *lang)
	}
	db, cfg, err := openChecked(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now()
	from, to, err := followup.ExportPeriod(kind, *fromDay, *toDay, now, cfg.DefaultTimezone)
	if err != nil {
		return fmt.Errorf("export: %s", userMessage(err))
	}
	opts := followup.ExportOptions{Locale: locale, Location: cfg.DefaultTimezone, WorkStart: cfg.WorkHours.Start}
	table, err := followup.BuildExport(ctx, db, kind, followup.DigestScope{All: true}, from, to, opts)
	if err != nil {
		return fmt.Errorf("export: %s", userMessage(err))
	}
	if err := db.RecordExport(ctx, "cli", string(kind), len(table.Rows), "cli"); err != nil {
		return fmt.Errorf("export: %s", userMessage(err))
	}
	if *out == "-" {
		return sheet.Write(stdout, format, table)
	}
	name := *out
	if name == "" {
		name = followup.ExportFileName(kind, from, to, now, cfg.DefaultTimezone, string(format))
	}
	if err := writeFile(name, format, table); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %d rows to %s\n", len(table.Rows), name)
	return nil
}

// writeFile writes the table next to its final name and renames it into place, so that an
// interrupted export never leaves half a file under the name asked for.
func writeFile(name string, format sheet.Format, t followup.SheetTable) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := sheet.Write(tmp, format, t); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
