// Package storagetest gives tests real PostgreSQL and Redis: a fresh migrated database per test
// and a private Redis keyspace per test, so tests run in parallel and never share state.
//
// A package that uses it starts its tests with
//
//	func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }
//
// Main uses the servers named by DATABASE_URL and REDIS_URL (`make test` sets both) and
// otherwise starts throw-away servers for the test binary with scripts/services.sh. Tests are
// never skipped for lack of a server: a helper that cannot get one fails the test and says why.
package storagetest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/pressly/goose/v3"

	"github.com/followuphq/followup/storage"
)

// templateLockKey is the Postgres advisory lock that serialises building template databases
// across concurrently running test binaries ("followup" in ASCII).
const templateLockKey int64 = 0x666f6c6c6f777570

// setupTimeout bounds creating, migrating and dropping databases.
const setupTimeout = 2 * time.Minute

// Main runs the tests of a package that needs Postgres or Redis and returns the exit code
// for os.Exit. When DATABASE_URL or REDIS_URL is unset it starts throw-away servers with
// scripts/services.sh (found by walking up from the working directory to go.mod), sets the
// variable for the process, runs the tests and stops the servers, whatever the tests did.
func Main(m *testing.M) int {
	if os.Getenv("DATABASE_URL") != "" && os.Getenv("REDIS_URL") != "" {
		return m.Run()
	}
	stop, err := startServices()
	if err != nil {
		fmt.Fprintf(os.Stderr, "storagetest: %v\n", err)
		return 1
	}
	defer stop()
	return m.Run()
}

// startServices starts throw-away servers, exports the URLs the environment lacks and
// returns the function that stops them. The script also watches this process and stops the
// servers should it die without calling stop (a test timeout, a kill).
func startServices() (stop func(), err error) {
	script, err := servicesScript()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	run := func(args ...string) ([]byte, error) {
		stderr.Reset()
		cmd := exec.Command("bash", append([]string{script}, args...)...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("scripts/services.sh %s: %w\n%s", args[0], err, stderr.Bytes())
		}
		return out, nil
	}
	if _, err := run("ensure"); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "followup-test-")
	if err != nil {
		return nil, fmt.Errorf("temp dir for the servers: %w", err)
	}
	stop = func() {
		if _, err := run("stop", dir); err != nil {
			fmt.Fprintf(os.Stderr, "storagetest: %v\n", err)
		}
		os.RemoveAll(dir)
	}
	out, err := run("start", dir, strconv.Itoa(os.Getpid()))
	if err != nil {
		stop()
		return nil, err
	}
	// The script prints lines of the form: export NAME='value'
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		name, value, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if !ok {
			continue
		}
		if os.Getenv(name) == "" {
			os.Setenv(name, strings.Trim(value, "'"))
		}
	}
	if os.Getenv("DATABASE_URL") == "" || os.Getenv("REDIS_URL") == "" {
		stop()
		return nil, fmt.Errorf("scripts/services.sh start printed no DATABASE_URL or REDIS_URL:\n%s", out)
	}
	return stop, nil
}

// servicesScript finds scripts/services.sh in the module the tests run in.
func servicesScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			script := filepath.Join(dir, "scripts", "services.sh")
			if _, err := os.Stat(script); err != nil {
				return "", fmt.Errorf("DATABASE_URL and REDIS_URL are unset and %w", err)
			}
			return script, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("DATABASE_URL and REDIS_URL are unset and no go.mod above the working directory leads to scripts/services.sh: set them, or run the tests with `make test`")
		}
		dir = parent
	}
}

// NewDSN creates an empty database with every migration applied and returns its DSN; the
// database is dropped when the test ends. It is for tests that start the whole server from a
// DSN; NewDB opens the database for you.
//
// Databases are cloned from a template that is migrated once per set of migrations, so a
// new database costs one CREATE DATABASE, not a migration run.
func NewDSN(t testing.TB) string {
	t.Helper()
	return newDatabase(t, true)
}

// NewEmptyDSN is NewDSN for a database with no migrations applied, for tests of migrating.
func NewEmptyDSN(t testing.TB) string {
	t.Helper()
	return newDatabase(t, false)
}

// NewDSNAt is NewDSN for a database migrated up to version only, for tests of what a
// later migration, or the application, does with data an older version wrote.
func NewDSNAt(t testing.TB, version int64) string {
	t.Helper()
	dsn := newDatabase(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("storagetest: %v", err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, storage.Migrations(), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatalf("storagetest: migrations: %v", err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatalf("storagetest: migrate up to %d: %v", version, err)
	}
	return dsn
}

func newDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		t.Fatal("storagetest: DATABASE_URL is not set: start the package's tests with " +
			"func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }, or run them with `make test`")
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("storagetest: DATABASE_URL: %v", err)
	}
	defer admin.Close()
	tmpl := "template0"
	if migrated {
		if tmpl, err = ensureTemplate(ctx, admin, base); err != nil {
			t.Fatalf("storagetest: template database: %v", err)
		}
	}
	name := databaseName(t)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)+" TEMPLATE "+pq.QuoteIdentifier(tmpl)); err != nil {
		t.Fatalf("storagetest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		admin, err := sql.Open("postgres", base)
		if err != nil {
			t.Errorf("storagetest: drop database %s: %v", name, err)
			return
		}
		defer admin.Close()
		// FORCE: a server the test started may still hold connections.
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("storagetest: drop database %s: %v", name, err)
		}
	})
	dsn, err := withDatabase(base, name)
	if err != nil {
		t.Fatalf("storagetest: %v", err)
	}
	return dsn
}

// NewDB returns a fresh migrated database of the test's own, opened with storage.Open,
// the test Keyring for personal data and opts (which may set another), closed and dropped
// when the test ends.
func NewDB(t testing.TB, opts ...storage.Option) *storage.DB {
	t.Helper()
	dsn := NewDSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	db, err := storage.Open(ctx, dsn, append([]storage.Option{storage.WithKeyring(Keyring())}, opts...)...)
	if err != nil {
		t.Fatalf("storagetest: open test database: %v", err)
	}
	// Registered after NewDSN's drop, so it runs before it.
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("storagetest: close test database: %v", err)
		}
	})
	return db
}

// ensureTemplate returns the name of the template database for the embedded migrations,
// building it first when no test binary has. The name carries a hash of the migration files,
// so a changed migration gets a new template and an old one is never reused.
func ensureTemplate(ctx context.Context, admin *sql.DB, base string) (string, error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "followup_tmpl_" + sum
	if ok, err := databaseExists(ctx, admin, name); err != nil || ok {
		return name, err
	}

	// Build it under an advisory lock, so that of the test binaries `go test ./...` runs at
	// once, one migrates and the others wait and clone. The lock goes with the session, also
	// when this process dies.
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", templateLockKey)
	if ok, err := databaseExists(ctx, admin, name); err != nil || ok {
		return name, err
	}

	// Migrate under another name and rename when done: a build that died half way leaves a
	// database nobody clones, which the next build drops.
	wip := name + "_wip"
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(wip)+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(wip)); err != nil {
		return "", err
	}
	dsn, err := withDatabase(base, wip)
	if err != nil {
		return "", err
	}
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	err = db.Migrate(ctx)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	// No connections allowed: CREATE DATABASE ... TEMPLATE fails while anyone is connected to
	// the template.
	for _, q := range []string{
		"ALTER DATABASE " + pq.QuoteIdentifier(wip) + " RENAME TO " + pq.QuoteIdentifier(name),
		"ALTER DATABASE " + pq.QuoteIdentifier(name) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
	} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			return "", err
		}
	}
	return name, nil
}

func databaseExists(ctx context.Context, admin *sql.DB, name string) (bool, error) {
	var n int
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		return false, fmt.Errorf("connect to DATABASE_URL: %w", err)
	}
	return n > 0, nil
}

// migrationsHash is a short hash of the names and contents of the embedded migrations.
func migrationsHash() (string, error) {
	h := sha256.New()
	migrations := storage.Migrations()
	err := fs.WalkDir(migrations, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// databaseName is unique and tells which test made the database, for whoever looks at a
// server a test run left behind.
func databaseName(t testing.TB) string {
	return "t_" + sanitize(t.Name(), 30) + "_" + randomHex(6)
}

// sanitize keeps the ASCII letters and digits of s, lower-cased, turns the rest into '_'
// and cuts the result to at most n bytes.
func sanitize(s string, n int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if b.Len() == n {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// withDatabase returns dsn pointing at database name instead; dsn is a postgres:// URL or
// lib/pq's key=value form.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("DATABASE_URL: %w", err)
		}
		u.Path, u.RawPath = "/"+name, ""
		return u.String(), nil
	}
	// In the key=value form the last setting of a key wins.
	return dsn + " dbname=" + name, nil
}
