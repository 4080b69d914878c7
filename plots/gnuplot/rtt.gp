# rtt.gp: the sender's round-trip time measurements, its smoothed RTT and
# its retransmission timeout (RFC 6298), in milliseconds.
#
# Each RTT sample is a point at the time it was taken; SRTT and RTO are
# stairs that hold until the estimator changes them.  The y axis is
# logarithmic, since the RTO (at least 1 s in the RFC, 200 ms in Linux)
# is often far above the RTT.
#
# The header above (written by tcpsim) sets the data file and the output
# name.  Every series is a block of the data file, selected by name:
# index '[rtt_sample]', index '[srtt]', index '[rto]'.
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
set ylabel 'milliseconds (log scale)'
set logscale y
set format y '%g'
# Ticks at 1, 2 and 5 per decade, from 10 us to 100 s: a log axis
# labelled only at powers of ten is hard to read off.
set ytics ( 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, \
            1000, 2000, 5000, 10000, 20000, 50000, 100000 )
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
  if (exists("auto_ymin")) { set yrange [auto_ymin:auto_ymax] }
}

set style line 1 lc rgb '#1f77b4' pt 7 ps 0.6
set style line 2 lc rgb '#202020' lw 2
set style line 3 lc rgb '#d62728' lw 1.5 dt 2

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
  plot dat index '[rto]' using 1:2 with steps ls 3 title 'RTO', \
       dat index '[srtt]' using 1:2 with steps ls 2 title 'SRTT', \
       dat index '[rtt_sample]' using 1:2 with points ls 1 title 'RTT sample'
  set output
}
