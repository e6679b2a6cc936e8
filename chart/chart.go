// Package chart draws the bar charts followup attaches to its answers, as PNG images, with
// gonum.org/v1/plot. It knows nothing of Slack or the domain: callers pass labelled numbers.
//
// Text on a chart is drawn with the Liberation Sans font that gonum/plot embeds, which covers
// Latin, Greek and Cyrillic but no Chinese. Rather than embed a CJK font (ten to twenty
// megabytes in the binary, and still no cover for every name a workspace holds), callers
// keep chart text to what Drawable accepts and say the rest, in the reader's language, in
// the message beside the chart; Label picks a drawable label among candidates.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// sans is the typeface of every chart: the sans-serif reads better at small sizes than
// gonum/plot's serif default.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func init() { plot.DefaultFont, plotter.DefaultFont = sans, sans }

// Colours of the bars, chosen to stay apart for colour-blind readers.
var (
	Blue   = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	Green  = color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}
	Red    = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	Orange = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
	Grey   = color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}
)

// Bar is one labelled value of a horizontal bar chart.
type Bar struct {
	Label string
	Value float64
	Color color.Color // nil for Blue
}

// Series is one colour of a grouped bar chart: a value per group.
type Series struct {
	Name   string
	Values []float64
	Color  color.Color
}

// dpi is the resolution charts are drawn at: sharp on a high-density screen, a few tens of
// kilobytes per chart.
const dpi = 144

// ErrNoData is returned for a chart with nothing to draw.
var ErrNoData = errors.New("chart: nothing to draw")

// HorizontalBars draws bars from left to right, the first bar at the top, each with its
// value written beside it.
func HorizontalBars(title string, bars []Bar) ([]byte, error) {
	if len(bars) == 0 {
		return nil, ErrNoData
	}
	p := plot.New()
	p.Title.Text = Clean(title)
	p.Title.Padding = vg.Points(6)
	p.HideX()
	p.X.Min = 0
	labels := make([]string, len(bars))
	most := 0.0
	for i, b := range bars {
		row := len(bars) - 1 - i // plot rows count from the bottom
		labels[row] = Clean(b.Label)
		bc, err := plotter.NewBarChart(plotter.Values{b.Value}, vg.Points(22))
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		bc.Horizontal, bc.XMin, bc.LineStyle.Width = true, float64(row), 0
		bc.Color = orBlue(b.Color)
		p.Add(bc)
		most = math.Max(most, b.Value)
	}
	p.NominalY(labels...)
	p.X.Max = math.Max(1, most*1.18) // room for the value labels
	xys := make(plotter.XYs, len(bars))
	texts := make([]string, len(bars))
	for i, b := range bars {
		xys[i] = plotter.XY{X: b.Value + p.X.Max*0.015, Y: float64(len(bars) - 1 - i)}
		texts[i] = formatValue(b.Value)
	}
	values, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	for i := range values.TextStyle {
		values.TextStyle[i].YAlign = draw.YCenter
	}
	p.Add(values)
	return render(p, 6.5*vg.Inch, vg.Length(len(bars))*0.5*vg.Inch+1.1*vg.Inch)
}

// GroupedBars draws one group of bars per label, one bar per series, with a legend.
func GroupedBars(title string, labels []string, series []Series) ([]byte, error) {
	if len(labels) == 0 || len(series) == 0 {
		return nil, ErrNoData
	}
	p := plot.New()
	p.Title.Text = Clean(title)
	p.Title.Padding = vg.Points(6)
	p.Y.Min = 0
	p.Y.Tick.Marker = integerTicks{}
	p.Legend.Top = true
	p.Legend.Left = false
	width := vg.Points(math.Min(16, 90/float64(len(series))))
	most := 0.0
	for i, s := range series {
		if len(s.Values) != len(labels) {
			return nil, fmt.Errorf("chart: series %q has %d values for %d labels", s.Name, len(s.Values), len(labels))
		}
		bc, err := plotter.NewBarChart(plotter.Values(s.Values), width)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		bc.LineStyle.Width = 0
		bc.Color = orBlue(s.Color)
		bc.Offset = width * vg.Length(float64(i)-float64(len(series)-1)/2)
		p.Add(bc)
		p.Legend.Add(Clean(s.Name), bc)
		for _, v := range s.Values {
			most = math.Max(most, v)
		}
	}
	p.Y.Max = math.Max(1, most*1.25) // room for the legend
	clean := make([]string, len(labels))
	for i, l := range labels {
		clean[i] = Clean(l)
	}
	p.NominalX(clean...)
	if len(labels) > 6 {
		p.X.Tick.Label.Rotation = math.Pi / 5
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	w := vg.Length(math.Max(6, 0.75*float64(len(labels))+1.5)) * vg.Inch
	return render(p, w, 4*vg.Inch)
}

func render(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))}
	margin := vg.Points(10) // the title and the legend stay clear of the edges
	p.Draw(draw.Crop(draw.New(c), margin, -margin, margin/2, -margin))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

func orBlue(c color.Color) color.Color {
	if c == nil {
		return Blue
	}
	return c
}

func formatValue(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// integerTicks marks whole numbers only: counts of follow-ups have no halves.
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Max(1, math.Ceil((hi-lo)/6))
	var ticks []plot.Tick
	for v := math.Ceil(lo); v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return ticks
}

// face is the chart font, for checking which characters it can draw.
var face = font.DefaultCache.Lookup(sans, 10)

// Drawable reports whether every character of s has a glyph in the chart font, so that
// drawing it shows no empty boxes. Control characters are never drawable.
func Drawable(s string) bool {
	var buf sfnt.Buffer
	for _, r := range s {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return false
		}
		if r == ' ' {
			continue
		}
		if i, err := face.Face.GlyphIndex(&buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}

// Label returns the first candidate that is not empty and Drawable, clipped to 24
// characters, or fallback (which the caller keeps drawable, e.g. "#3").
func Label(fallback string, candidates ...string) string {
	for _, c := range candidates {
		if c != "" && Drawable(c) {
			return clip(c, 24)
		}
	}
	return fallback
}

// Clean replaces every character Drawable refuses with '?', as a last guard for text a
// caller did not check: a chart shows a question mark rather than an empty box.
func Clean(s string) string {
	out := []rune(s)
	for i, r := range out {
		if !Drawable(string(r)) {
			out[i] = '?'
		}
	}
	return string(out)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
