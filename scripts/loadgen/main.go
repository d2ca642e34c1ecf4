// Command loadgen posts one request body to a URL over keep-alive
// connections, as a client of a sidecar would, and prints the throughput
// and the latency percentiles: the across-process figure of scripts/bench
// (the server in its own process, this in another).
//
//	go run ./scripts/loadgen -url http://127.0.0.1:8080/v1/quote -body '{...}' -n 20000 -c 4
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "", "the `URL` to POST to")
	body := flag.String("body", "", "the request `BODY`")
	n := flag.Int("n", 10000, "requests in all")
	c := flag.Int("c", 4, "connections, each sending requests one after another")
	per := flag.Int("per", 1, "quotes a request asks for (a batch's size)")
	flag.Parse()
	if *url == "" {
		fmt.Fprintln(os.Stderr, "loadgen: -url is required")
		os.Exit(2)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *c}}
	post := func() (time.Duration, error) {
		start := time.Now()
		resp, err := client.Post(*url, "application/json", bytes.NewReader([]byte(*body)))
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(start), nil
	}
	for range *c { // warm the connections
		if _, err := post(); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
	}
	latencies := make([][]time.Duration, *c)
	var wg sync.WaitGroup
	var failed error
	var mu sync.Mutex
	start := time.Now()
	for w := range *c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < *n; i += *c {
				d, err := post()
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				latencies[w] = append(latencies[w], d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failed != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", failed)
		os.Exit(1)
	}
	all := slices.Concat(latencies...)
	slices.Sort(all)
	at := func(p float64) time.Duration { return all[int(p*float64(len(all)-1))] }
	fmt.Printf("%d requests of %d quotes over %d connections: %.0f quotes/s, latency p50 %d us, p99 %d us\n",
		len(all), *per, *c, float64(len(all)**per)/elapsed.Seconds(), at(0.5).Microseconds(), at(0.99).Microseconds())
}
