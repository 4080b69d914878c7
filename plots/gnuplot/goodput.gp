# goodput.gp: the data a receiver got, per time bin.
#
# Goodput (boxes) counts the bytes its TCP could hand on in order during
# each bin, each byte once; throughput (the stair) counts every data byte
# that arrived, duplicates and out-of-order bytes included.  Both are in
# bits per second over the bin; the bin width is in the title.
#
# The header above (written by tcpsim) sets the data file, the output
# name, and the unit (scale: bit/s per unit).  Blocks: index '[goodput]'
# and index '[throughput]', columns bin start (s), bin end (s), bit/s.
# tcpsim leaves out of the plot command the series that have no points
# (their blocks stay in the data file, empty).
# Re-render in this directory with:   gnuplot THIS-FILE.gp
# In the terminal:                    gnuplot -e "formats='dumb'" THIS-FILE.gp
# A part of it, into part.png and part.svg:
#   gnuplot -e "xmin=1.0; xmax=1.5; stem='part'" THIS-FILE.gp

if (!exists("formats")) formats = 'png svg'
if (exists("stem")) out = stem
if (!exists("cols")) cols = 100
if (!exists("rows")) rows = 30

set encoding utf8
set title plot_title noenhanced
set xlabel 'time (s)'
set ylabel unit_name noenhanced
set format y '%g'
set key outside right top vertical box noenhanced Left reverse
set grid lc rgb '#e0e0e0'
set border lc rgb '#404040'
set style fill solid 0.45 border lc rgb '#1f77b4'
if (exists("xmin")) {
  set xrange [xmin:xmax]
} else {
  if (exists("auto_xmin")) { set xrange [auto_xmin:auto_xmax] }
}
if (exists("ymin")) {
  set yrange [ymin:ymax]
} else {
  if (exists("auto_ymin")) { set yrange [auto_ymin:auto_ymax] } else { set yrange [0:*] }
}
set offsets 0, 0, graph 0.05, 0

set style line 1 lc rgb '#1f77b4' lw 1
set style line 2 lc rgb '#ff7f0e' lw 1.5

do for [fmt in formats] {
  if (fmt eq 'png') {
    set terminal pngcairo size 1200,700 font 'sans,11' noenhanced
    set output out.'.png'
  }
  if (fmt eq 'svg') {
    set terminal svg size 1200,700 font 'sans,11' noenhanced \
        background '#ffffff'
    set output out.'.svg'
  }
  if (fmt eq 'dumb') {
    set terminal dumb size cols,rows noenhanced
    set output
    unset grid
  }
  plot dat index '[goodput]' using (($1+$2)/2):($3/scale):($2-$1) with boxes ls 1 title 'goodput (in order, once)', \
       dat index '[throughput]' using (($1+$2)/2):($3/scale) with histeps ls 2 title 'throughput (all data arriving)'
  set output
}
