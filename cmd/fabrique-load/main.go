// Command fabrique-load measures fabrique under load, on the loopback
// interface only, bounded in count and time. It starts the real binary
// (fabrique serve --demo) on a fresh database in a temporary folder, then:
//
//  1. sends N simultaneous registrations (1,000 by default) to the popular
//     event of the demo (the forum: 60 seats in 3 workshops), each from its
//     own loopback address, and reports the statuses (no 5xx expected),
//     the latencies (p50, p99, max) and checks afterwards that no
//     workshop holds more registered people than its seats;
//  2. loads the public page of that event, then a static file served by the
//     same binary (/assets/css/fabrique.css), with C clients for D seconds
//     each, and reports the requests per second of each and their ratio
//     (the target: the page at least a third of the static file's rate).
//
// It exits with status 1 when a target is missed. Usage:
//
//	go build -o bin/fabrique ./cmd/fabrique && go run ./cmd/fabrique-load -bin bin/fabrique
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/fabrique", "the fabrique binary to start")
	regs := flag.Int("registrations", 1000, "simultaneous registrations (at most 5000)")
	clients := flag.Int("clients", 32, "concurrent clients of the throughput test (at most 256)")
	dur := flag.Duration("duration", 5*time.Second, "length of each throughput test (at most 60s)")
	flag.Parse()
	if *regs < 1 || *regs > 5000 || *clients < 1 || *clients > 256 || *dur <= 0 || *dur > time.Minute {
		fmt.Fprintln(os.Stderr, "fabrique-load : bornes dépassées (registrations ≤ 5000, clients ≤ 256, duration ≤ 60s)")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *bin, *regs, *clients, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "fabrique-load :", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bin string, regs, clients int, dur time.Duration) error {
	dir, err := os.MkdirTemp("", "fabrique-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	addr, err := freeLoopback()
	if err != nil {
		return err
	}
	srv := exec.CommandContext(ctx, bin, "serve", "--demo", "--addr", addr, "--db", filepath.Join(dir, "fabrique.db"))
	srv.Stderr = io.Discard
	if err := srv.Start(); err != nil {
		return fmt.Errorf("démarrage de %s : %w", bin, err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	base := "http://" + addr
	if err := waitHealthy(ctx, base); err != nil {
		return err
	}
	fmt.Printf("fabrique-load : %s sur %s (base temporaire)\n\n", bin, addr)
	var failed []string
	failed = append(failed, registrations(ctx, base, regs)...)
	failed = append(failed, throughput(ctx, base, clients, dur)...)
	if len(failed) > 0 {
		return errors.New("objectifs manqués : " + strings.Join(failed, " ; "))
	}
	fmt.Println("\nTous les objectifs sont atteints.")
	return nil
}

// freeLoopback returns a free port on 127.0.0.1.
func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(ctx context.Context, base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("le service ne répond pas sur /healthz")
}

// The popular event of the demo and its workshops.
const (
	eventID = 2
)

var workshops = []int{6, 7, 8}

// registrations sends n registrations at once, each from its own address.
func registrations(ctx context.Context, base string, n int) []string {
	type result struct {
		status  int
		latency time.Duration
		err     error
	}
	results := make([]result, n)
	start := make(chan struct{})
	var ready, done sync.WaitGroup
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			local := net.IPv4(127, 1, byte(i/250), byte(i%250+1))
			d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: local}, Timeout: 30 * time.Second}
			client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
			body := fmt.Sprintf(`{"name":"Participant %d","email":"charge-%d@exemple.fr","category":"citizen","workshop_id":%d,"consent":true}`,
				i, i, workshops[i%len(workshops)])
			req, _ := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/api/v1/events/%d/register", base, eventID), strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			ready.Done()
			<-start
			t0 := time.Now()
			r, err := client.Do(req)
			if err == nil {
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
				results[i] = result{status: r.StatusCode, latency: time.Since(t0)}
			} else {
				results[i] = result{err: err, latency: time.Since(t0)}
			}
		}()
	}
	ready.Wait()
	t0 := time.Now()
	close(start)
	done.Wait()
	wall := time.Since(t0)
	statuses := map[int]int{}
	var lat []time.Duration
	var errs int
	for _, r := range results {
		if r.err != nil {
			errs++
			continue
		}
		statuses[r.status]++
		lat = append(lat, r.latency)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Printf("1. %d inscriptions simultanées à l'événement n° %d (chacune depuis sa propre adresse 127.1.x.y)\n", n, eventID)
	fmt.Printf("   durée totale %s ; statuts %v ; erreurs réseau %d\n", wall.Round(time.Millisecond), statuses, errs)
	if len(lat) > 0 {
		fmt.Printf("   latence p50 %s, p99 %s, max %s\n", pct(lat, 50), pct(lat, 99), lat[len(lat)-1].Round(time.Millisecond))
	}
	var failed []string
	fives := 0
	for code, k := range statuses {
		if code >= 500 {
			fives += k
		}
	}
	if fives > 0 || errs > 0 {
		failed = append(failed, fmt.Sprintf("%d réponses 5xx et %d erreurs réseau", fives, errs))
	}
	if statuses[201] != n {
		failed = append(failed, fmt.Sprintf("%d inscriptions acceptées sur %d", statuses[201], n))
	}
	failed = append(failed, checkSeats(ctx, base)...)
	return failed
}

// pct returns the p-th percentile of sorted latencies.
func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p+99)/100 - 1
	return sorted[max(0, i)].Round(time.Millisecond)
}

// checkSeats reads the registration form afterwards: no workshop holds
// more registered people than its seats, nor the event.
func checkSeats(ctx context.Context, base string) []string {
	var form struct {
		SeatsLeft int `json:"seats_left"`
		Workshops []struct {
			ID, Capacity, Registered, Waiting int
		} `json:"workshops"`
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/events/%d/registration", base, eventID), nil)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		return []string{"lecture des places : " + err.Error()}
	}
	defer r.Body.Close()
	if err := json.NewDecoder(r.Body).Decode(&form); err != nil {
		return []string{"lecture des places : " + err.Error()}
	}
	var failed []string
	registered, waiting, seats := 0, 0, 0
	for _, w := range form.Workshops {
		registered += w.Registered
		waiting += w.Waiting
		seats += w.Capacity
		if w.Registered > w.Capacity {
			failed = append(failed, fmt.Sprintf("surréservation de l'atelier n° %d : %d inscrits pour %d places", w.ID, w.Registered, w.Capacity))
		}
	}
	fmt.Printf("   ensuite : %d inscrits pour %d places (aucune surréservation : %v), %d en liste d'attente\n\n",
		registered, seats, len(failed) == 0 && registered <= seats, waiting)
	return failed
}

// throughput loads the event page, then a static file, and compares.
func throughput(ctx context.Context, base string, clients int, dur time.Duration) []string {
	page := load(ctx, fmt.Sprintf("%s/events/%d", base, eventID), clients, dur)
	static := load(ctx, base+"/assets/css/fabrique.css", clients, dur)
	fmt.Printf("2. Débit avec %d clients pendant %s chacun\n", clients, dur)
	fmt.Printf("   page publique de l'événement : %8.0f requêtes/s (%d octets, %d erreurs)\n", page.rate, page.size, page.errors)
	fmt.Printf("   fichier statique /assets/css : %8.0f requêtes/s (%d octets, %d erreurs)\n", static.rate, static.size, static.errors)
	ratio := page.rate / static.rate
	fmt.Printf("   rapport page / fichier statique : %.2f (objectif ≥ 0,33)\n", ratio)
	var failed []string
	if page.errors > 0 || static.errors > 0 {
		failed = append(failed, "erreurs pendant le test de débit")
	}
	if ratio < 1.0/3 {
		failed = append(failed, fmt.Sprintf("la page ne sert que %.2f fois le débit du fichier statique", ratio))
	}
	return failed
}

type loadResult struct {
	rate   float64
	size   int64
	errors int64
}

// load sends GET url from clients goroutines for dur, with keep-alive.
func load(ctx context.Context, url string, clients int, dur time.Duration) loadResult {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var ok, errs, size atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var wg sync.WaitGroup
	t0 := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
				req.Header.Set("Accept", "text/html,*/*")
				r, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				n, _ := io.Copy(io.Discard, r.Body)
				r.Body.Close()
				if r.StatusCode != 200 {
					errs.Add(1)
					continue
				}
				size.Store(n)
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	return loadResult{rate: float64(ok.Load()) / time.Since(t0).Seconds(), size: size.Load(), errors: errs.Load()}
}
