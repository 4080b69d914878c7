# overlay.gp: one series from each of several runs on the same axes, as
# tcpsim compare draws them.
#
# The header above (written by tcpsim) sets the output name, the title,
# the axis labels and the plot command: one clause per run, each reading
# its own data file (paths relative to this directory).
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
set xlabel x_label noenhanced
set ylabel y_label noenhanced
set format y '%g'
set key top left opaque box noenhanced Left reverse
set grid lc rgb '#e0e0e0'
set border lc rgb '#404040'
if (exists("xmin")) {
  set xrange [xmin:xmax]
} else {
  if (exists("auto_xmin")) { set xrange [auto_xmin:auto_xmax] }
}
if (exists("ymin")) {
  set yrange [ymin:ymax]
} else {
  if (exists("auto_ymin")) { set yrange [auto_ymin:auto_ymax] }
}

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
  {{PLOT}}
  set output
}
