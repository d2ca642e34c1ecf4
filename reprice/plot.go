package reprice

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Plot draws, one above the other, the histogram of per-record
// differences of each meter that changed, and each rate's total before and
// after, as an image in format "svg" or "png". gonum/plot draws them; the
// figures are converted to float only here, for drawing.
func (c *Comparison) Plot(w io.Writer, format string) error {
	if format != "svg" && format != "png" {
		return fmt.Errorf("a plot is svg or png, not %q", format)
	}
	var plots [][]*plot.Plot
	for _, m := range c.Meters {
		if m.More == 0 && m.Less == 0 {
			continue
		}
		p, err := histogramPlot(m)
		if err != nil {
			return err
		}
		plots = append(plots, []*plot.Plot{p})
	}
	p, err := ratesPlot(c)
	if err != nil {
		return err
	}
	plots = append(plots, []*plot.Plot{p})

	width, height := vg.Points(720), vg.Points(320*float64(len(plots)))
	var canvas vg.CanvasWriterTo
	if format == "svg" {
		canvas = vgsvg.New(width, height)
	} else {
		canvas = vgimg.PngCanvas{Canvas: vgimg.New(width, height)}
	}
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadTop: vg.Points(10), PadBottom: vg.Points(10), PadX: vg.Points(10), PadY: vg.Points(20)}
	canvases := plot.Align(plots, tiles, draw.New(canvas))
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	_, err = canvas.WriteTo(w)
	return err
}

var (
	oldColor = color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	newColor = color.RGBA{R: 0x1f, G: 0x6f, B: 0xb4, A: 0xff}
)

func histogramPlot(m *MeterDiff) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Change per record, %s", m.Meter)
	p.Y.Label.Text = "records"
	p.X.Label.Text = "change (new - old)"
	values := make(plotter.Values, len(m.Histogram))
	labels := make([]string, len(m.Histogram))
	for i, b := range m.Histogram {
		values[i] = float64(b.Records)
		labels[i] = Signed(b.From, m.Places)
	}
	bars, err := plotter.NewBarChart(values, vg.Points(40))
	if err != nil {
		return nil, err
	}
	bars.Color = newColor
	bars.LineStyle.Width = 0
	p.Add(bars)
	p.NominalX(labels...)
	return p, nil
}

func ratesPlot(c *Comparison) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "Total per rate, old and new"
	oldV, newV := make(plotter.Values, len(c.Rates)), make(plotter.Values, len(c.Rates))
	labels := make([]string, len(c.Rates))
	for i, r := range c.Rates {
		oldV[i], _ = r.Old.Float64()
		newV[i], _ = r.New.Float64()
		labels[i] = r.Rate + " (" + r.Meter + ")"
	}
	w := vg.Points(20)
	oldBars, err := plotter.NewBarChart(oldV, w)
	if err != nil {
		return nil, err
	}
	newBars, err := plotter.NewBarChart(newV, w)
	if err != nil {
		return nil, err
	}
	oldBars.Color, oldBars.LineStyle.Width, oldBars.Offset = oldColor, 0, -w/2
	newBars.Color, newBars.LineStyle.Width, newBars.Offset = newColor, 0, w/2
	p.Add(oldBars, newBars)
	p.Legend.Add("old", oldBars)
	p.Legend.Add("new", newBars)
	p.Legend.Top = true
	p.NominalX(labels...)
	return p, nil
}
