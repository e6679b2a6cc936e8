package storage_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// TestOpenRedisThroughSentinel starts a real Sentinel watching the test Redis and checks
// that the sentinel mode finds the primary through it, as a Sentinel deployment would.
func TestOpenRedisThroughSentinel(t *testing.T) {
	primary, err := url.Parse(storagetest.NewRedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not installed (make test installs it): %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf") // Sentinel rewrites its config: it must be writable
	host, pport, _ := net.SplitHostPort(primary.Host)
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor followup %s %s 1\n", port, dir, host, pport)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, conf, "--sentinel")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	ctx := context.Background()
	sentinelURL := fmt.Sprintf("redis://127.0.0.1:%d%s?master_name=followup", port, primary.Path)
	var client interface{ Close() error }
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := storage.OpenRedis(ctx, sentinelURL, storage.RedisSentinel)
		if err == nil {
			client = c
			r := storage.NewRedis(c, "sentinel-test:")
			if err := r.SaveState(ctx, "k", "v", time.Minute); err != nil {
				t.Fatal(err)
			}
			var got string
			if err := r.LoadState(ctx, "k", &got); err != nil || got != "v" {
				t.Fatalf("through sentinel: %q, %v", got, err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sentinel mode never connected: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	client.Close()

	if _, err := storage.OpenRedis(ctx, storagetest.NewRedisURL(t), "mesh"); err == nil {
		t.Errorf("an unknown mode was accepted")
	}
}
