// Command followup runs the followup Slack assistant: `followup serve` (Slack endpoints,
// health, metrics and the scheduler), `followup migrate`, `followup import` and `followup
// export` (the spreadsheets teams come from), `followup rotate-key` (re-encrypt personal
// data under a new PII_KEY) and `followup version`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/followuphq/followup/bot"
	"github.com/followuphq/followup/config"
	"github.com/followuphq/followup/sandbox"
	"github.com/followuphq/followup/scheduler"
	"github.com/followuphq/followup/storage"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "followup:", err)
		os.Exit(1)
	}
}

const usage = `usage: followup <command>

commands:
  serve     run the Slack endpoints, health checks, metrics and the scheduler;
            with no Slack credentials set (or with --sandbox), against a local
            Slack stand-in with a web page at /sandbox
  migrate   apply database migrations
  import    import a follow-up sheet (.csv or .xlsx): followup import [--dry-run] [--owner SLACKID] FILE
  export    export customers, follow-ups or the weekly review as .xlsx or .csv:
            followup export customers|followups|review [--format csv|xlsx] [--out FILE]
                                                        [--from DATE --to DATE] [--lang zh|en]
  rotate-key  re-encrypt personal data under PII_KEY, opening older values with
            PII_KEY_OLD: followup rotate-key [--batch N]
  version   print the version`

// run is main without the process: arguments, environment and output are passed in, so
// tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "version":
		fmt.Fprintln(stdout, "followup", version)
		return nil
	case "migrate":
		return migrate(ctx, getenv, stdout)
	case "serve":
		return serve(ctx, args[1:], getenv, stdout)
	case "import":
		return importSheet(ctx, args[1:], getenv, stdout)
	case "export":
		return exportSheet(ctx, args[1:], getenv, stdout)
	case "rotate-key":
		return rotateKey(ctx, args[1:], getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

func migrate(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		return errors.New("config: DATABASE_URL is required (postgres://user:pass@host:5432/db)")
	}
	db, err := openMigrated(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied")
	return db.Close()
}

// openMigrated connects to Postgres and applies pending migrations; replicas starting
// together take turns under the migrator's advisory lock.
func openMigrated(ctx context.Context, dsn string, opts ...storage.Option) (*storage.DB, error) {
	db, err := storage.Open(ctx, dsn, opts...)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// shutdownTimeout bounds how long in-flight requests and post-ack work may take after
// SIGTERM.
const shutdownTimeout = 20 * time.Second

func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	forceSandbox := flags.Bool("sandbox", false, "run against the local Slack stand-in")
	if err := flags.Parse(args); err != nil {
		return fmt.Errorf("serve: %w\nusage: followup serve [--sandbox]", err)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	// The sandbox runs only when no Slack credentials are set: never beside a real workspace.
	useSandbox := cfg.Sandbox()
	if *forceSandbox && !useSandbox {
		return errors.New("serve --sandbox: refused because Slack credentials are set (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN); unset them to use the sandbox")
	}
	if useSandbox {
		err = cfg.RequireSandbox()
	} else {
		err = cfg.RequireServe()
	}
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))
	log.Info("starting followup", "version", version, "sandbox", useSandbox, "config", cfg)
	if cfg.DebugAddr != "" {
		defer startDebugServer(cfg.DebugAddr, log)()
	}

	keys, err := serveKeyring(cfg, useSandbox, log)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DatabaseURL, storage.WithClaimLease(cfg.ClaimLease), storage.WithKeyring(keys))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetPool(cfg.DBMaxConns)
	if err := preparePersonalData(ctx, db, keys, log); err != nil {
		return err
	}
	rdb, err := storage.OpenRedis(ctx, cfg.RedisURL, cfg.RedisMode)
	if err != nil {
		return err
	}
	defer rdb.Close()

	var sb *sandbox.Sandbox
	if useSandbox {
		if sb, err = sandbox.New(sandbox.Config{DB: db, Logger: log}); err != nil {
			return err
		}
		defer sb.Close()
		cfg.SlackAPIURL, cfg.SlackBotToken, cfg.SlackSigningSecret = sb.APIURL(), sb.BotToken(), sb.SigningSecret()
		cfg.AdminSlackIDs = append(cfg.AdminSlackIDs, sb.AdminID())
	}

	// One registry per process, passed to each part: no global metrics state.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	slackHTTP := &http.Client{Timeout: 30 * time.Second, Transport: bot.SlackTransport(reg, nil)}

	slackOpts := []slack.Option{slack.OptionAPIURL(cfg.SlackAPIURL), slack.OptionHTTPClient(slackHTTP)}
	if cfg.SlackAppToken != "" {
		slackOpts = append(slackOpts, slack.OptionAppLevelToken(cfg.SlackAppToken))
	}
	api := slack.New(cfg.SlackBotToken, slackOpts...)
	b := bot.New(bot.Config{
		SigningSecret:     cfg.SlackSigningSecret,
		DefaultLocale:     cfg.DefaultLocale,
		DefaultTimezone:   cfg.DefaultTimezone,
		WorkHours:         cfg.WorkHours,
		WorkDays:          cfg.WorkDays,
		Calendar:          cfg.Calendar,
		ComplaintDeadline: cfg.ComplaintDeadline,
		AdminSlackIDs:     cfg.AdminSlackIDs,
		HomeRefreshDelay:  2 * time.Second,
		CommandsPerMinute: cfg.CommandRateLimit,
	}, db, storage.NewRedis(rdb, "followup:", storage.WithStateKeyring(keys)), api, bot.WithLogger(log), bot.WithMetrics(reg))

	var sched *scheduler.Scheduler
	if cfg.Scheduler {
		sched = scheduler.New(scheduler.Config{
			ReminderCron: cfg.ReminderCron, CadenceCron: cfg.CadenceCron, DigestCron: cfg.DigestCron,
			DefaultTimezone: cfg.DefaultTimezone, WorkHours: cfg.WorkHours, WorkDays: cfg.WorkDays, Calendar: cfg.Calendar,
		}, db, b, scheduler.WithLogger(log), scheduler.WithMetrics(reg, db.CountPendingReminders))
		if err := sched.Start(); err != nil {
			return err
		}
	}

	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.Handle("/", b.Handler())
	srv := &http.Server{
		Addr:              cfg.HTTPAddr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("http server: %w", err)
	}
	if sb != nil {
		startSandbox(ctx, sb, mux, ln.Addr(), log)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", cfg.HTTPAddr)

	// Socket Mode runs beside HTTP, which still serves health checks and metrics (and the
	// Slack endpoints when a signing secret is set). It stops when shutdown says, not with
	// ctx, so that it ends after HTTP and its nil return is never mistaken for a failure.
	socketCtx, stopSocket := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSocket()
	socketErr := make(chan error, 1)
	if cfg.SlackAppToken != "" {
		go func() { socketErr <- b.RunSocketMode(socketCtx, socketmode.New(api)) }()
		log.Info("starting socket mode")
	}

	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case err := <-socketErr:
		return err // the app-level token was refused: nothing would reach the bot
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("http shutdown", "err", err)
	}
	if cfg.SlackAppToken != "" {
		stopSocket() // then wait for the envelopes in hand to be answered
		select {
		case <-socketErr:
		case <-shutdownCtx.Done():
			log.Error("socket mode shutdown", "err", shutdownCtx.Err())
		}
	}
	if sched != nil {
		sched.Stop(shutdownCtx) // lets a running job finish its claimed reminders
	}
	b.Wait()
	log.Info("stopped")
	return nil
}

// startSandbox mounts the sandbox's page on the bot's server, says where to open it and
// loads the demo data through the bot's own endpoints; the listener is open already, so
// the requests wait in its backlog until the server serves.
func startSandbox(ctx context.Context, sb *sandbox.Sandbox, mux *http.ServeMux, addr net.Addr, log *slog.Logger) {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	botURL := "http://" + net.JoinHostPort(host, port)
	h := sb.Handler(botURL)
	mux.Handle("/sandbox", h)
	mux.Handle("/sandbox/", h)
	log.Info("sandbox: open http://localhost:" + port + "/sandbox")
	go func() {
		seeded, err := sb.Seed(ctx, botURL)
		switch {
		case err != nil:
			log.Error("sandbox: demo data", "err", err)
		case seeded:
			log.Info("sandbox: demo data loaded")
		}
	}()
}
