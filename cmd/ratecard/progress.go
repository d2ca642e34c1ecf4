package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
	"ratecard/reprice"
)

// progress shows a progress bar (bytes read of the usage file, rate, ETA)
// on standard error when it is a terminal and the run has taken more than
// a second; never when the output is piped or the size is unknown. It
// returns the function that stops it. schollz/progressbar draws the bar.
func (c *command) progress(in *reprice.Input) (stop func()) {
	f, ok := c.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || in.Size <= 0 {
		return func() {}
	}
	// The bar measures from the start, so that its rate and ETA are right,
	// but draws nothing during the first second.
	bar := progressbar.NewOptions64(in.Size,
		progressbar.OptionSetWriter(&delayedWriter{w: f, from: time.Now().Add(time.Second)}),
		progressbar.OptionShowBytes(true), progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetDescription("repricing"), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				_ = bar.Finish()
				return
			case <-tick.C:
				_ = bar.Set64(in.BytesRead())
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// delayedWriter drops what is written before a time.
type delayedWriter struct {
	w    io.Writer
	from time.Time
}

func (d *delayedWriter) Write(p []byte) (int, error) {
	if time.Now().Before(d.from) {
		return len(p), nil
	}
	return d.w.Write(p)
}
