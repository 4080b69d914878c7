# queue.gp: the packets waiting in a link's queue, per direction, over
# time; the one being transmitted is not counted.  Crosses mark packets
# the queue refused (drop-tail overflow), at the length they found.
#
# The queue is sampled whenever a packet enters the link, is refused, or
# reaches the far end (link.tx, link.drop, link.rx records), and each
# stair holds its value until the next sample that differs.
#
# The header above (written by tcpsim) sets the data file, the output
# name and the directions' names (dir0, dir1).  Blocks: index '[queue0]',
# '[drops0]', '[queue1]', '[drops1]'.
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
set ylabel 'packets waiting'
set format y '%g'
set key outside right top vertical box noenhanced Left reverse
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
  if (exists("auto_ymin")) { set yrange [auto_ymin:auto_ymax] } else { set yrange [0:*] }
}
set offsets 0, 0, graph 0.05, 0

set style line 1 lc rgb '#1f77b4' lw 1.5
set style line 2 lc rgb '#ff7f0e' lw 1.5
set style line 3 lc rgb '#1f77b4' lw 1.5 pt 2 ps 1.2
set style line 4 lc rgb '#ff7f0e' lw 1.5 pt 2 ps 1.2

do for [fmt in formats] {
  if (fmt eq 'png') {
    set terminal pngcairo size 1200,600 font 'sans,11' noenhanced
    set output out.'.png'
  }
  if (fmt eq 'svg') {
    set terminal svg size 1200,600 font 'sans,11' noenhanced \
        background '#ffffff'
    set output out.'.svg'
  }
  if (fmt eq 'dumb') {
    set terminal dumb size cols,rows noenhanced
    set output
    unset grid
  }
  plot dat index '[queue0]' using 1:2 with steps ls 1 title dir0, \
       dat index '[queue1]' using 1:2 with steps ls 2 title dir1, \
       dat index '[drops0]' using 1:2 with points ls 3 title dir0.' refused', \
       dat index '[drops1]' using 1:2 with points ls 4 title dir1.' refused'
  set output
}
