package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
)

// report collects the rows of the final table.
type report struct {
	rows    []row
	pgbench map[int]float64 // clients → TPS of the reference single-row INSERT
}

type row struct {
	figure, measured, target, verdict string
}

func (r *report) add(figure, measured, target, verdict string) {
	r.rows = append(r.rows, row{figure, measured, target, verdict})
}

// check adds a row whose verdict is "met" or "NOT met".
func (r *report) check(figure, measured, target string, met bool) {
	v := "met"
	if !met {
		v = "NOT met"
	}
	r.add(figure, measured, target, v)
}

func (r *report) print(w io.Writer) {
	if len(r.rows) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| figure\t| measured\t| DESIGN §4 target\t| ratio / verdict\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|")
	for _, x := range r.rows {
		fmt.Fprintf(tw, "| %s\t| %s\t| %s\t| %s\t|\n", x.figure, x.measured, x.target, x.verdict)
	}
	tw.Flush()
}

// rssMB reads the resident set size of process pid from /proc (Linux only; 0 elsewhere).
func rssMB(pid int) float64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
