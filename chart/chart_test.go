package chart

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// CHART_OUT names a folder to keep the drawn charts in, for a person to look at them.
func keep(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("CHART_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("not a PNG: % x", b[:min(8, len(b))])
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// colourAt counts the pixels of img close to c.
func colourCount(img image.Image, r0, g0, b0 uint8) int {
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if near(r>>8, r0) && near(g>>8, g0) && near(b>>8, b0) {
				n++
			}
		}
	}
	return n
}

func near(a uint32, b uint8) bool { return a+3 >= uint32(b) && a <= uint32(b)+3 }

func TestHorizontalBars(t *testing.T) {
	b, err := HorizontalBars("Funnel: customers per stage", []Bar{
		{"Lead", 42, nil}, {"Intent", 17, nil}, {"Quoted", 9, nil}, {"Won", 6, Green}, {"Lost", 4, Red},
	})
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "funnel.png", b)
	img := decode(t, b)
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 936 || h < 500 {
		t.Errorf("size %dx%d", w, h)
	}
	// The bars are drawn in their colours, the longest the most.
	blue, green, red := colourCount(img, 0x1f, 0x77, 0xb4), colourCount(img, 0x2c, 0xa0, 0x2c), colourCount(img, 0xd6, 0x27, 0x28)
	if blue == 0 || green == 0 || red == 0 || green <= red || blue <= green {
		t.Errorf("bar pixels blue %d, green %d, red %d: want all drawn, in proportion", blue, green, red)
	}
	if _, err := HorizontalBars("x", nil); err != ErrNoData {
		t.Errorf("no bars: err = %v", err)
	}
}

func TestGroupedBars(t *testing.T) {
	labels := []string{"Wang Wei", "Li Na", "zhao", "#4", "Ann", "Bob", "Cy", "Dee"}
	b, err := GroupedBars("Activity per rep", labels, []Series{
		{"Follow-ups", []float64{12, 7, 0, 3, 5, 1, 0, 9}, Blue},
		{"Steps done", []float64{4, 2, 0, 1, 2, 0, 0, 3}, Green},
		{"Stage moves", []float64{2, 1, 0, 0, 1, 0, 0, 2}, Orange},
	})
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "activity.png", b)
	img := decode(t, b)
	if colourCount(img, 0xff, 0x7f, 0x0e) == 0 {
		t.Error("the third series is not drawn")
	}
	if _, err := GroupedBars("x", []string{"a"}, []Series{{"s", []float64{1, 2}, nil}}); err == nil {
		t.Error("a series longer than the labels was drawn")
	}
}

func TestDrawable(t *testing.T) {
	for s, want := range map[string]bool{
		"Wang Wei": true, "Zoë Müller": true, "Łukasz": true, "Ольга": true, "#3": true, "": true,
		"赵敏": false, "Wang 伟": false, "🎉": false, "a\nb": false, "\xff": false,
	} {
		if got := Drawable(s); got != want {
			t.Errorf("Drawable(%q) = %v, want %v", s, got, want)
		}
	}
	if got := Label("#2", "赵敏", "", "zhao"); got != "zhao" {
		t.Errorf("Label = %q, want the handle", got)
	}
	if got := Label("#2", "赵敏", "钱"); got != "#2" {
		t.Errorf("Label = %q, want the fallback", got)
	}
	if got := Clean("Won 成交"); got != "Won ??" {
		t.Errorf("Clean = %q", got)
	}
}
