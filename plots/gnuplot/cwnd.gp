# cwnd.gp: the sender's congestion window and slow-start threshold over
# time, with the bytes in flight and the window the receiver offers.
#
# Each series is a stair: the value holds until the sender changes it
# (tcp.vars records).  ssthresh appears from its first finite value; until
# the first loss it is "arbitrarily high" (RFC 5681 3.1).
#
# The header above (written by tcpsim) sets the data file and the output
# name.  Every series is a block of the data file, selected by name:
# index '[cwnd]', index '[ssthresh]', ...
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
set ylabel 'bytes'
set format y '%.0f'
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

set style line 1 lc rgb '#1f77b4' lw 2
set style line 2 lc rgb '#d62728' lw 1.5 dt 2
set style line 3 lc rgb '#7f7f7f' lw 1
set style line 4 lc rgb '#2ca02c' lw 1.2 dt 4

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
  plot dat index '[rwnd]' using 1:2 with steps ls 4 title 'rwnd (offered by the peer)', \
       dat index '[flight]' using 1:2 with steps ls 3 title 'bytes in flight', \
       dat index '[ssthresh]' using 1:2 with steps ls 2 title 'ssthresh', \
       dat index '[cwnd]' using 1:2 with steps ls 1 title 'cwnd'
  set output
}
