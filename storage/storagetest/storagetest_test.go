package storagetest_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/followuphq/followup/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

func TestNewDB(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	names := map[string]bool{}
	t.Run("group", func(t *testing.T) {
		for i := range 2 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				db := storagetest.NewDB(t)
				var name string
				if err := db.SQLX().GetContext(ctx, &name, "SELECT current_database()"); err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				names[name] = true
				mu.Unlock()

				// Migrated: the template's tables came along.
				var tables int
				if err := db.SQLX().GetContext(ctx, &tables, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`); err != nil {
					t.Fatal(err)
				}
				if tables < 2 {
					t.Errorf("got %d tables in the new database, want the migrated schema", tables)
				}
				// Both tests create the same table: that works only in databases of their own.
				if _, err := db.SQLX().ExecContext(ctx, "CREATE TABLE scratch (id int)"); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
	if got, want := len(names), 2; got != want {
		t.Fatalf("parallel tests got %d distinct databases (%v), want %d", got, names, want)
	}

	// The databases are gone once their tests ended.
	admin, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for name := range names {
		var n int
		if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("database %s still exists after its test ended", name)
		}
	}
}

func TestNewDSN(t *testing.T) {
	a, b := storagetest.NewDSN(t), storagetest.NewDSN(t)
	if a == b {
		t.Fatalf("two NewDSN calls returned the same DSN %s", a)
	}
	db, err := sql.Open("postgres", a)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatalf("ping %s: %v", a, err)
	}
}

func TestNewRedisClient(t *testing.T) {
	ctx := context.Background()
	var prefix string
	t.Run("a", func(t *testing.T) {
		a, pa := storagetest.NewRedisClient(t)
		b, pb := storagetest.NewRedisClient(t)
		if pa == pb {
			t.Fatalf("two tests got the same prefix %q", pa)
		}
		if err := a.Set(ctx, pa+"k", "a", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if n, err := b.Exists(ctx, pb+"k").Result(); err != nil || n != 0 {
			t.Errorf("key of prefix %q seen under %q: exists = %d, %v", pa, pb, n, err)
		}
		prefix = pa
	})
	// A fresh client: the subtest's was closed when its keys were deleted.
	client, _ := storagetest.NewRedisClient(t)
	if n, err := client.Exists(ctx, prefix+"k").Result(); err != nil || n != 0 {
		t.Errorf("key %q outlived its test: exists = %d, %v", prefix+"k", n, err)
	}
}

func TestNewRedis(t *testing.T) {
	store, client := storagetest.NewRedis(t)
	if store == nil || client == nil {
		t.Fatal("NewRedis returned nil")
	}
	if err := store.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestNewRedisURL(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	urls := map[string]bool{}
	t.Run("group", func(t *testing.T) {
		for i := range 2 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				u := storagetest.NewRedisURL(t)
				mu.Lock()
				urls[u] = true
				mu.Unlock()
				c := connect(t, u)
				// Empty at the start, though every test writes the same key.
				if n, err := c.DBSize(ctx).Result(); err != nil || n != 0 {
					t.Errorf("leased database %s holds %d keys at the start (%v)", u, n, err)
				}
				if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
	if got, want := len(urls), 2; got != want {
		t.Fatalf("parallel tests got %d distinct Redis URLs (%v), want %d", got, urls, want)
	}
	for u := range urls {
		if n, err := connect(t, u).DBSize(ctx).Result(); err != nil || n != 0 {
			t.Errorf("leased database %s still holds %d keys after its test (%v)", u, n, err)
		}
	}
}

func connect(t *testing.T, u string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}
