package storagetest

import (
	"context"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followuphq/followup/storage"
)

// leaseTTL bounds how long a crashed test run can keep a Redis database leased.
const leaseTTL = time.Hour

// leaseWait is how long NewRedisURL waits for a Redis database to come free.
const leaseWait = 2 * time.Minute

// NewRedis returns a storage.Redis that keeps its keys under a prefix of the test's own and
// seals its state with Keyring, as serve does, and the client under it for tests that look
// at raw keys. The keys are deleted and the client closed when the test ends.
func NewRedis(t testing.TB) (*storage.Redis, redis.UniversalClient) {
	t.Helper()
	client, prefix := NewRedisClient(t)
	return storage.NewRedis(client, prefix, storage.WithStateKeyring(Keyring())), client
}

// NewRedisClient returns a client for REDIS_URL and a key prefix no other test uses. Keys
// under the prefix are deleted and the client closed when the test ends.
func NewRedisClient(t testing.TB) (client redis.UniversalClient, prefix string) {
	t.Helper()
	opts := redisOptions(t)
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		t.Fatalf("storagetest: connect to REDIS_URL: %v", err)
	}
	// Only letters, digits, '_' and ':', so the prefix is also a literal SCAN pattern.
	prefix = "test:" + sanitize(t.Name(), 40) + ":" + randomHex(6) + ":"
	t.Cleanup(func() {
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("storagetest: list the test's redis keys: %v", err)
			return
		}
		if len(keys) > 0 {
			if err := c.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("storagetest: delete the test's redis keys: %v", err)
			}
		}
	})
	return c, prefix
}

// NewRedisURL leases a Redis logical database to the test alone and returns REDIS_URL
// pointing at it, for tests that start the whole server from a URL, so keys need no prefix.
// The database is emptied before the test and when it ends. When every database is leased,
// it waits for one to come free.
func NewRedisURL(t testing.TB) string {
	t.Helper()
	opts := redisOptions(t)
	ctx, cancel := context.WithTimeout(context.Background(), leaseWait)
	defer cancel()
	ctl := redis.NewClient(opts)
	defer ctl.Close()

	count := 16 // Redis's default, for servers that refuse CONFIG GET
	if cfg, err := ctl.ConfigGet(ctx, "databases").Result(); err == nil {
		if n, err := strconv.Atoi(cfg["databases"]); err == nil && n > 0 {
			count = n
		}
	}
	if count < 2 {
		t.Fatalf("storagetest: the Redis of REDIS_URL has %d database(s): NewRedisURL needs more than one", count)
	}
	// Leases are keys in REDIS_URL's own database, which is never leased.
	token := randomHex(8)
	for {
		for db := 0; db < count; db++ {
			if db == opts.DB {
				continue
			}
			key := "storagetest:lease:db:" + strconv.Itoa(db)
			ok, err := ctl.SetNX(ctx, key, token, leaseTTL).Result()
			if err != nil {
				t.Fatalf("storagetest: lease a redis database: %v", err)
			}
			if !ok {
				continue
			}
			if err := flushDB(ctx, opts, db); err != nil {
				ctl.Del(ctx, key)
				t.Fatalf("storagetest: empty redis database %d: %v", db, err)
			}
			t.Cleanup(func() { releaseDB(t, opts, db, key, token) })
			return redisURLWithDB(t, db)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("storagetest: all %d Redis databases stayed leased for %v", count-1, leaseWait)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// releaseLua deletes a lease only if it still holds this test's token.
const releaseLua = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`

func releaseDB(t testing.TB, opts *redis.Options, db int, key, token string) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := flushDB(ctx, opts, db); err != nil {
		t.Errorf("storagetest: empty redis database %d: %v", db, err)
	}
	ctl := redis.NewClient(opts)
	defer ctl.Close()
	if err := redis.NewScript(releaseLua).Run(ctx, ctl, []string{key}, token).Err(); err != nil {
		t.Errorf("storagetest: release redis database %d: %v", db, err)
	}
}

func flushDB(ctx context.Context, opts *redis.Options, db int) error {
	o := *opts
	o.DB = db
	c := redis.NewClient(&o)
	defer c.Close()
	return c.FlushDB(ctx).Err()
}

func redisOptions(t testing.TB) *redis.Options {
	t.Helper()
	raw := os.Getenv("REDIS_URL")
	if raw == "" {
		t.Fatal("storagetest: REDIS_URL is not set: start the package's tests with " +
			"func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }, or run them with `make test`")
	}
	opts, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("storagetest: REDIS_URL: %v", err)
	}
	return opts
}

// redisURLWithDB returns REDIS_URL selecting database db.
func redisURLWithDB(t testing.TB, db int) string {
	t.Helper()
	u, err := url.Parse(os.Getenv("REDIS_URL"))
	if err != nil {
		t.Fatalf("storagetest: REDIS_URL: %v", err)
	}
	if u.Scheme == "unix" {
		q := u.Query()
		q.Set("db", strconv.Itoa(db))
		u.RawQuery = q.Encode()
	} else {
		u.Path = "/" + strconv.Itoa(db)
	}
	return u.String()
}
