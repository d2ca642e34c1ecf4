package reprice

import (
	"bytes"
	"strings"
	"testing"
)

// TestPlot draws the sample's comparison as SVG and PNG: a histogram for
// the meter that changed, none for the one that did not, and the rates.
func TestPlot(t *testing.T) {
	in, err := Open(sample, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	c, err := Compare(in, shippedList(t), whatIfList(t), Options{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	var svg, png bytes.Buffer
	if err := c.Plot(&svg, "svg"); err != nil {
		t.Fatal(err)
	}
	s := svg.String()
	if !strings.HasPrefix(s, "<?xml") || !strings.Contains(s, "Change per record, credits") || strings.Contains(s, "Change per record, video_minutes") ||
		!strings.Contains(s, "Total per rate, old and new") {
		t.Errorf("the SVG lacks a plot or has one too many (%d bytes)", len(s))
	}
	if err := c.Plot(&png, "png"); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG\r\n")) {
		t.Errorf("not a PNG: % x", png.Bytes()[:min(8, png.Len())])
	}
	if err := c.Plot(&svg, "gif"); err == nil || !strings.Contains(err.Error(), `not "gif"`) {
		t.Errorf("a gif: %v", err)
	}
}
