package storage_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// Micro-benchmarks of the statements behind a quick log, on real Postgres, one at a time.
// Beside ns/op they report round-trips/op: the messages the client sent to Postgres, each of
// which waits for an answer (DESIGN §4: fewer round trips per log is the main lever).
//
//	scripts/services.sh with-test go test -run='^$' -bench=. -benchmem ./storage

// countingProxy forwards to Postgres and counts the client's writes that reach it. A write
// the driver flushes is one burst on the wire, and the driver then waits for the answer, so
// the count is the number of round trips.
type countingProxy struct {
	ln     net.Listener
	target string
	writes atomic.Int64
	wg     sync.WaitGroup
}

func newCountingDSN(b *testing.B, dsn string) (string, *countingProxy) {
	b.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	p := &countingProxy{ln: ln, target: u.Host}
	go p.serve()
	b.Cleanup(func() { ln.Close(); p.wg.Wait() })
	u.Host = ln.Addr().String()
	return u.String(), p
}

func (p *countingProxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.wg.Add(2)
		go func() { // client → server, counted
			defer p.wg.Done()
			defer server.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := client.Read(buf)
				if n > 0 {
					p.writes.Add(1)
					if _, werr := server.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
		go func() {
			defer p.wg.Done()
			defer client.Close()
			io.Copy(client, server)
		}()
	}
}

// benchStore is a migrated database with reps and customers, reached through the proxy.
func benchStore(b *testing.B, customers int) (*storage.DB, *countingProxy, []followup.Customer) {
	b.Helper()
	ctx := context.Background()
	dsn, proxy := newCountingDSN(b, storagetest.NewDSN(b))
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.SavePerson(ctx, followup.Person{SlackID: "U0BENCH001", Name: "rep", TZ: "UTC", Locale: "en"}); err != nil {
		b.Fatal(err)
	}
	var cs []followup.Customer
	for i := range customers {
		c, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: fmt.Sprintf("Baichuan Trading %d", i),
			Kind: followup.KindCompany, Industry: "retail", Tier: followup.TierA, Source: "referral", OwnerID: "U0BENCH001"})
		if err != nil {
			b.Fatal(err)
		}
		cs = append(cs, c)
	}
	return db, proxy, cs
}

// measure runs op b.N times and reports the round trips each took.
func measure(b *testing.B, proxy *countingProxy, op func(i int) error) {
	b.Helper()
	b.ReportAllocs()
	before := proxy.writes.Load()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.StopTimer()
	b.ReportMetric(float64(proxy.writes.Load()-before)/float64(i), "round-trips/op")
}

func BenchmarkCreateFollowUpWithNextAction(b *testing.B) {
	ctx := context.Background()
	db, proxy, cs := benchStore(b, 50)
	at := time.Now()
	measure(b, proxy, func(i int) error {
		_, err := db.CreateFollowUp(ctx, followup.NewFollowUp{
			CustomerID: cs[i%len(cs)].ID, RepID: "U0BENCH001", HappenedAt: at, Method: followup.MethodPhone,
			Summary: "called about the Q3 rollout", Source: "quick",
			Next: &followup.NewAction{Text: "send the revised quote", DueAt: at.AddDate(0, 0, 3), OwnerID: "U0BENCH001"},
		})
		return err
	})
}

// BenchmarkCreateFollowUpConcurrently logs from 16 goroutines at once, as a replica under
// load does: follow-ups that arrive together share a statement (batch.go), so a follow-up
// costs less than one round trip.
func BenchmarkCreateFollowUpConcurrently(b *testing.B) {
	ctx := context.Background()
	db, proxy, cs := benchStore(b, 200)
	at := time.Now()
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
	before := proxy.writes.Load()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			_, err := db.CreateFollowUp(ctx, followup.NewFollowUp{
				CustomerID: cs[i%len(cs)].ID, RepID: "U0BENCH001", HappenedAt: at, Method: followup.MethodPhone,
				Summary: "called about the Q3 rollout", Source: "quick",
				Next: &followup.NewAction{Text: "send the revised quote", DueAt: at.AddDate(0, 0, 3), OwnerID: "U0BENCH001"},
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(proxy.writes.Load()-before)/float64(next.Load()), "round-trips/op")
}

func BenchmarkResolveCustomerByCode(b *testing.B) {
	ctx := context.Background()
	db, proxy, cs := benchStore(b, 50)
	measure(b, proxy, func(i int) error {
		got, err := db.ResolveCustomer(ctx, cs[i%len(cs)].Code, followup.Visibility{ViewerID: cs[i%len(cs)].OwnerID})
		if err == nil && len(got) != 1 {
			err = fmt.Errorf("resolved %d customers", len(got))
		}
		return err
	})
}

func BenchmarkFindPerson(b *testing.B) {
	ctx := context.Background()
	db, proxy, _ := benchStore(b, 0)
	measure(b, proxy, func(int) error {
		_, err := db.FindPerson(ctx, "U0BENCH001")
		return err
	})
}
