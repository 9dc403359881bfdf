// Command fabrique-load measures fabrique under load, on the loopback
// interface only, bounded in count and time. It starts the real binary
// (fabrique serve --demo) on a fresh database in a temporary folder, then:
//
//  1. measures the machine's ceiling for registrations: the bare SQLite
//     transaction of the same shape (BEGIN IMMEDIATE, read the seats left,
//     insert, COMMIT; WAL, synchronous=NORMAL, one writer) N times in a row;
//  2. sends N simultaneous registrations (4,000 by default) to the popular
//     event of the demo (the forum: 60 seats in 3 workshops), each on its
//     own connection from its own loopback address, and reports the
//     statuses (every one 201, registered or on the waiting list; no 5xx),
//     the latencies (p50, p99, max), the registrations per second and their
//     ratio to the ceiling, and checks afterwards that no workshop holds
//     more registered people than its seats (issue 14: p99 under 1 s, at
//     least 2,000 per second and a sixth of the ceiling). The clients and
//     the service share the machine: it also reports the processor time
//     each took during the rush and the machine's load. Each client writes
//     its request on its socket and reads the answer with net/http's
//     parser (http.ReadResponse), without the pool and goroutines of an
//     http.Client, which cost the service's processors more than the
//     service's own work of answering;
//  3. loads the public page of that event, then a static file served by the
//     same binary (/assets/css/fabrique.css), with C clients for D seconds
//     each, and reports the requests per second of each and their ratio
//     (the target: the page at least a third of the static file's rate).
//
// It exits with status 1 when a target is missed. Usage:
//
//	go build -o bin/fabrique ./cmd/fabrique && go run ./cmd/fabrique-load -bin bin/fabrique
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
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
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	bin := flag.String("bin", "bin/fabrique", "the fabrique binary to start")
	regs := flag.Int("registrations", 4000, "simultaneous registrations (at most 5000)")
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
	srv.Stderr = nil // the service's log goes to /dev/null, without a pipe for this process to empty
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
	ceil, err := ceiling(ctx, dir, regs)
	if err != nil {
		return fmt.Errorf("mesure du plafond SQLite : %w", err)
	}
	failed = append(failed, registrations(ctx, base, regs, ceil, srv.Process.Pid)...)
	failed = append(failed, recount(ctx, filepath.Join(dir, "fabrique.db"), regs)...)
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

// ceiling commits n times in a row, on a fresh file beside the service's,
// the bare transaction of a registration: BEGIN IMMEDIATE, read the seats
// left, insert the registration, take the seat, COMMIT (WAL,
// synchronous=NORMAL, one writer, as the service). It returns the
// transactions per second: the machine's ceiling for registrations.
func ceiling(ctx context.Context, dir string, n int) (float64, error) {
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "plafond.db")+"?_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE seats (id INTEGER PRIMARY KEY, capacity INTEGER NOT NULL, taken INTEGER NOT NULL);
		CREATE TABLE registrations (id INTEGER PRIMARY KEY, seat_id INTEGER NOT NULL REFERENCES seats(id), email TEXT NOT NULL, status TEXT NOT NULL);
		INSERT INTO seats VALUES (1, 60, 0)`); err != nil {
		return 0, err
	}
	t0 := time.Now()
	for i := range n {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		var left int
		if err := tx.QueryRowContext(ctx, `SELECT capacity - taken FROM seats WHERE id = 1`).Scan(&left); err != nil {
			tx.Rollback()
			return 0, err
		}
		status := "waiting"
		if left > 0 {
			status = "registered"
			if _, err := tx.ExecContext(ctx, `UPDATE seats SET taken = taken + 1 WHERE id = 1`); err != nil {
				tx.Rollback()
				return 0, err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO registrations (seat_id, email, status) VALUES (1, ?, ?)`, fmt.Sprintf("plafond-%d@exemple.fr", i), status); err != nil {
			tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}

// registrations sends n registrations at once, each on its own connection
// from its own address, and compares their rate with the ceiling.
func registrations(ctx context.Context, base string, n int, ceiling float64, server int) []string {
	type result struct {
		status  int
		state   string
		latency time.Duration
		err     error
	}
	host := strings.TrimPrefix(base, "http://")
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
			body := fmt.Sprintf(`{"name":"Participant %d","email":"charge-%d@exemple.fr","category":"citizen","workshop_id":%d,"consent":true}`,
				i, i, workshops[i%len(workshops)])
			req := fmt.Sprintf("POST /api/v1/events/%d/register HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
				eventID, host, len(body), body)
			ready.Done()
			<-start
			t0 := time.Now()
			status, state, err := post(ctx, d, host, req)
			results[i] = result{status: status, state: state, latency: time.Since(t0), err: err}
		}()
	}
	ready.Wait()
	// The clients' garbage waits for the end of the rush: collecting it
	// would scan their thousands of goroutines on the service's processors.
	gc := debug.SetGCPercent(-1)
	load0, cpu0, srv0 := loadAverage(), ownCPU(), processCPU(server)
	t0 := time.Now()
	close(start)
	done.Wait()
	wall := time.Since(t0)
	load1, cpu1, srv1 := loadAverage(), ownCPU(), processCPU(server)
	debug.SetGCPercent(gc)
	statuses, states := map[int]int{}, map[string]int{}
	var lat []time.Duration
	var errs int
	for _, r := range results {
		if r.err != nil {
			errs++
			continue
		}
		statuses[r.status]++
		states[r.state]++
		lat = append(lat, r.latency)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	rate := float64(n) / wall.Seconds()
	fmt.Printf("1. Plafond de la machine : la transaction SQLite nue d'une inscription (BEGIN IMMEDIATE, places restantes, insertion, COMMIT ; WAL, synchronous=NORMAL)\n")
	fmt.Printf("   %8.0f transactions/s (%d de suite, mesurées dans ce même passage)\n\n", ceiling, n)
	fmt.Printf("2. %d inscriptions simultanées à l'événement n° %d (chacune sur sa connexion, depuis sa propre adresse 127.1.x.y)\n", n, eventID)
	fmt.Printf("   durée totale %s ; statuts %v ; inscrits %d, en liste d'attente %d ; erreurs réseau %d\n",
		wall.Round(time.Millisecond), statuses, states["registered"], states["waiting"], errs)
	if len(lat) > 0 {
		fmt.Printf("   latence p50 %s, p99 %s, max %s\n", pct(lat, 50), pct(lat, 99), lat[len(lat)-1].Round(time.Millisecond))
	}
	fmt.Printf("   débit %.0f inscriptions/s (objectif ≥ 2 000) ; rapport au plafond %.2f (objectif ≥ 1/6 = 0,17)\n", rate, rate/ceiling)
	fmt.Printf("   temps processeur pendant ces %s : service %s, clients (ce programme) %s ; charge de la machine %s au début, %s à la fin\n",
		wall.Round(time.Millisecond), cpuText(srv0, srv1), cpuText(cpu0, cpu1), load0, load1)
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
	if statuses[201] != n || states["registered"]+states["waiting"] != n {
		failed = append(failed, fmt.Sprintf("%d inscriptions acceptées sur %d (%d inscrits, %d en liste d'attente)", statuses[201], n, states["registered"], states["waiting"]))
	}
	if len(lat) > 0 && pct(lat, 99) >= time.Second {
		failed = append(failed, fmt.Sprintf("latence p99 des inscriptions %s (objectif < 1 s)", pct(lat, 99)))
	}
	if rate < 2000 {
		failed = append(failed, fmt.Sprintf("%.0f inscriptions/s (objectif ≥ 2 000)", rate))
	}
	if rate < ceiling/6 {
		failed = append(failed, fmt.Sprintf("%.0f inscriptions/s, moins d'un sixième du plafond (%.0f)", rate, ceiling))
	}
	failed = append(failed, checkSeats(ctx, base)...)
	return failed
}

// post sends one request on a new connection from d's address and reads
// the answer: its status and the registration's status.
func post(ctx context.Context, d *net.Dialer, host, req string) (int, string, error) {
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		return 0, "", err
	}
	r, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, "", err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return 0, "", err
	}
	var receipt struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(b, &receipt); err != nil && r.StatusCode < 300 {
		return r.StatusCode, "", err
	}
	return r.StatusCode, receipt.Status, nil
}

// ownCPU is the processor time this program has used (user and system).
func ownCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the processor time a process has used, read in
// /proc/PID/stat (utime and stime, in ticks of 1/100 s); -1 without /proc.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The fields after the command's name, which is in parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// cpuText is the processor time between two readings.
func cpuText(from, to time.Duration) string {
	if from < 0 || to < 0 {
		return "inconnu"
	}
	return fmt.Sprintf("%.2f s", (to - from).Seconds())
}

// loadAverage is the machine's load over the last minute (/proc/loadavg).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "inconnue"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "inconnue"
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
	fmt.Printf("   ensuite : %d inscrits pour %d places (aucune surréservation : %v), %d en liste d'attente\n",
		registered, seats, len(failed) == 0 && registered <= seats, waiting)
	return failed
}

// recount reads the service's database file after the registrations,
// without its counters: no workshop holds more registered people than its
// seats, every registrant has one registration, and the outbox holds one
// message per calendar item for each registered person and one for each
// person waiting (each queued once).
func recount(ctx context.Context, path string, n int) []string {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return []string{"recomptage : " + err.Error()}
	}
	defer db.Close()
	var failed []string
	var over, regs, registered, waiting, items, messages, twice int
	err = db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM workshops w WHERE w.event_id = ?1 AND w.capacity <
			(SELECT COUNT(*) FROM registrations r WHERE r.workshop_id = w.id AND r.status IN ('registered', 'attended'))),
		(SELECT COUNT(*) FROM registrations r JOIN people p ON p.id = r.person_id WHERE r.event_id = ?1 AND p.email LIKE 'charge-%'),
		(SELECT COUNT(*) FROM registrations r JOIN people p ON p.id = r.person_id WHERE r.event_id = ?1 AND p.email LIKE 'charge-%' AND r.status = 'registered'),
		(SELECT COUNT(*) FROM registrations r JOIN people p ON p.id = r.person_id WHERE r.event_id = ?1 AND p.email LIKE 'charge-%' AND r.status = 'waiting'),
		(SELECT COUNT(*) FROM phases WHERE event_id = ?1 AND kind IN ('launch', 'forum')),
		(SELECT COUNT(*) FROM outbox WHERE event_id = ?1 AND recipient LIKE 'charge-%'),
		(SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE event_id = ?1 GROUP BY recipient, item_uid, sequence, method HAVING COUNT(*) > 1))`,
		eventID).Scan(&over, &regs, &registered, &waiting, &items, &messages, &twice)
	if err != nil {
		return []string{"recomptage : " + err.Error()}
	}
	fmt.Printf("   recomptage dans la base : %d inscriptions, %d inscrits, %d en attente, %d ateliers surréservés ; %d messages en file (attendus %d), %d en double\n\n",
		regs, registered, waiting, over, messages, registered*max(items, 1)+waiting, twice)
	if over > 0 {
		failed = append(failed, fmt.Sprintf("%d ateliers surréservés au recomptage", over))
	}
	if regs != n {
		failed = append(failed, fmt.Sprintf("%d inscriptions en base pour %d envoyées", regs, n))
	}
	if messages != registered*max(items, 1)+waiting || twice > 0 {
		failed = append(failed, fmt.Sprintf("%d messages en file, %d attendus, %d en double", messages, registered*max(items, 1)+waiting, twice))
	}
	return failed
}

// throughput loads the event page, then a static file, and compares.
func throughput(ctx context.Context, base string, clients int, dur time.Duration) []string {
	page := load(ctx, fmt.Sprintf("%s/events/%d", base, eventID), clients, dur)
	static := load(ctx, base+"/assets/css/fabrique.css", clients, dur)
	fmt.Printf("3. Débit avec %d clients pendant %s chacun\n", clients, dur)
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
