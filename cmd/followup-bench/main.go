// Command followup-bench is the project's performance benchmark (BENCHMARKS.md). It seeds a
// realistic team into a database of its own, drives the real bot in-process with signed
// slash commands, times the scheduler's and the digest's queries, runs pgbench as the
// reference, and prints one table against the targets of DESIGN §4.
//
//	followup-bench [flags] seed|load|sched|send|pgbench|all
//
// DATABASE_URL names a server the benchmark may create and drop its database on; REDIS_URL
// a Redis it may write to. scripts/bench.sh provides both.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "followup-bench:", err)
		os.Exit(1)
	}
}

// options are the benchmark's settings; -small swaps in a preset for a quick smoke run.
type options struct {
	Reps, Customers, FollowUps, Reminders int
	Duration                              time.Duration
	Levels                                []int
	PgbenchClients                        []int
	Mix                                   string
	DBName                                string
	Reseed                                bool
	CPUProfile                            string
	Bot                                   string
}

func parseFlags(args []string, stderr io.Writer) (options, []string, error) {
	fs := flag.NewFlagSet("followup-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := options{}
	small := fs.Bool("small", false, "quick preset: 20 reps, 10,000 customers, 100,000 follow-ups and reminders, 3 s per level")
	fs.IntVar(&o.Reps, "reps", 50, "sales reps (teams of 10, each with a manager)")
	fs.IntVar(&o.Customers, "customers", 100_000, "customers")
	fs.IntVar(&o.FollowUps, "followups", 1_000_000, "follow-ups over two years, each with a next action (~10% open)")
	fs.IntVar(&o.Reminders, "reminders", 1_000_000, "reminders already sent (history)")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long each concurrency level (and each pgbench run) lasts")
	levels := fs.String("levels", "1,16,64", "concurrency levels of the load test")
	clients := fs.String("pgbench-clients", "8,16,32,64", "pgbench client counts")
	fs.StringVar(&o.Mix, "mix", "quick,mixed", "load mixes to run: quick (quick logs only) and/or mixed (logs, due, show, typeahead)")
	fs.StringVar(&o.DBName, "db", "followup_bench", "database to create (dropped first when seeding)")
	fs.BoolVar(&o.Reseed, "reseed", true, "with all: drop and seed the database; false reuses a seeded one")
	fs.StringVar(&o.Bot, "bot", "bin/followup", "the followup binary to run the load test against (make build makes it)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the bot during the load test's levels to this file (through its DEBUG_ADDR pprof)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: followup-bench [flags] seed|load|sched|send|pgbench|all")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, nil, err
	}
	if *small {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		preset := func(name string, apply func()) {
			if !set[name] {
				apply()
			}
		}
		preset("reps", func() { o.Reps = 20 })
		preset("customers", func() { o.Customers = 10_000 })
		preset("followups", func() { o.FollowUps = 100_000 })
		preset("reminders", func() { o.Reminders = 100_000 })
		preset("duration", func() { o.Duration = 3 * time.Second })
	}
	var err error
	if o.Levels, err = parseInts(*levels); err != nil {
		return o, nil, fmt.Errorf("-levels: %w", err)
	}
	if o.PgbenchClients, err = parseInts(*clients); err != nil {
		return o, nil, fmt.Errorf("-pgbench-clients: %w", err)
	}
	if o.Reps < 1 || o.Customers < o.Reps || o.FollowUps < 1 {
		return o, nil, errors.New("need at least one rep, a customer per rep and one follow-up")
	}
	return o, fs.Args(), nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "fake-slack" { // the child process of startFakeSlack
		return serveFakeSlack(ctx, args[1:], os.Stdin, stdout)
	}
	o, rest, err := parseFlags(args, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("usage: followup-bench [flags] seed|load|sched|send|pgbench|all (-h for flags)")
	}
	env, err := newEnv(ctx, getenv, o.DBName)
	if err != nil {
		return err
	}
	r := &report{}
	switch rest[0] {
	case "seed":
		return seed(ctx, env, o, stdout)
	case "load":
		err = runLoad(ctx, env, o, r, stdout)
	case "sched":
		err = runSched(ctx, env, o, r, stdout)
	case "send":
		err = runSend(ctx, env, o, r, stdout)
	case "pgbench":
		err = runPgbench(ctx, env, o, r, stdout)
	case "all":
		err = runAll(ctx, env, o, r, stdout)
	default:
		return fmt.Errorf("unknown command %q", rest[0])
	}
	if err != nil {
		return err
	}
	r.print(stdout)
	return nil
}

func runAll(ctx context.Context, env *env, o options, r *report, stdout io.Writer) error {
	if o.Reseed {
		if err := seed(ctx, env, o, stdout); err != nil {
			return err
		}
	}
	// The reference first, then the scheduler and the digest on the history as seeded (a
	// million follow-ups over two years), then the load test: its tens of thousands of
	// quick logs all land in the current week, which no two-year history looks like, and
	// would make the week's digest a measure of the load test.
	if err := runPgbench(ctx, env, o, r, stdout); err != nil {
		return err
	}
	if err := runSched(ctx, env, o, r, stdout); err != nil {
		return err
	}
	if err := runSend(ctx, env, o, r, stdout); err != nil {
		return err
	}
	return runLoad(ctx, env, o, r, stdout)
}
