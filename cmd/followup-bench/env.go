package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup/storage"
)

// env is where the benchmark runs: the server's URL, the benchmark database's URL on it, and
// Redis.
type env struct {
	serverURL string // DATABASE_URL as given: where the benchmark database is created
	dbURL     string // the benchmark database
	redisURL  string
	dbName    string
}

func newEnv(ctx context.Context, getenv func(string) string, dbName string) (*env, error) {
	e := &env{serverURL: getenv("DATABASE_URL"), redisURL: getenv("REDIS_URL"), dbName: dbName}
	if e.serverURL == "" || e.redisURL == "" {
		return nil, errors.New("DATABASE_URL and REDIS_URL are required (scripts/bench.sh sets them)")
	}
	u, err := url.Parse(e.serverURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	u.Path = "/" + dbName
	e.dbURL = u.String()
	return e, nil
}

// recreate drops and creates the benchmark database.
func (e *env) recreate(ctx context.Context) error {
	db, err := sql.Open("postgres", e.serverURL)
	if err != nil {
		return err
	}
	defer db.Close()
	name := pq.QuoteIdentifier(e.dbName)
	if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop benchmark database: %w", err)
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("create benchmark database: %w", err)
	}
	return nil
}

// open connects to the benchmark database and applies the migrations, as followup serve does.
func (e *env) open(ctx context.Context, opts ...storage.Option) (*storage.DB, error) {
	db, err := storage.Open(ctx, e.dbURL, opts...)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// people lists the Slack ids of the benchmark database's people.
func (e *env) people(ctx context.Context) ([]string, error) {
	db, err := sql.Open("postgres", e.dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var ids []string
	if err := sqlx.NewDb(db, "postgres").SelectContext(ctx, &ids, "SELECT slack_id FROM people ORDER BY slack_id"); err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return ids, nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}
