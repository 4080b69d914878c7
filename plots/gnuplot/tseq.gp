# tseq.gp: the time-sequence graph of one direction of a TCP connection,
# drawn as tcptrace and Stevens draw it, seen at the sender.
#
# x is time, y the relative sequence number.  Each data segment is a
# vertical I-beam from its first byte to its last, at the time it was sent;
# retransmissions are red (after a timeout) or orange (fast retransmit,
# SACK recovery); a lost segment is crossed at its send time.  The ACK
# line is the stair of the peer's cumulative ACK as it reaches the sender;
# the window line above it is the ACK plus the window the peer offers, the
# highest byte the sender may send.  SACK blocks are purple bars at the
# time the ACK carrying them arrived, and duplicate ACKs pink triangles.
#
# The header above (written by tcpsim) sets the data file and the output
# name.  Every series is a block of the data file, selected by name:
# index '[seg]', index '[ack]', ...
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
set ylabel 'relative sequence number (bytes)'
set format y '%.0f'
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
set offsets 0, 0, graph 0.05, 0
if (exists("note")) {
  set label 1 note at graph 0.99, graph 0.97 right front noenhanced
}

set style line 1 lc rgb '#202868' lw 1.5
set style line 2 lc rgb '#d62728' lw 2.5
set style line 3 lc rgb '#ff7f0e' lw 2.5
set style line 4 lc rgb '#2ca02c' lw 1
set style line 5 lc rgb '#b8a200' lw 1.2
set style line 6 lc rgb '#9467bd' lw 1.2
set style line 7 lc rgb '#d62728' lw 2 pt 2 ps 1.6
set style line 8 lc rgb '#e377c2' lw 1 pt 9 ps 0.9
# A segment is an I-beam, as in tcptrace: a vector with a flat head at
# each end, from its first byte to one past its last.
set style arrow 1 heads nofilled size screen 0.004,90 ls 1
set style arrow 2 heads nofilled size screen 0.005,90 ls 2
set style arrow 3 heads nofilled size screen 0.005,90 ls 3
set style arrow 6 heads nofilled size screen 0.003,90 ls 6

do for [fmt in formats] {
  if (fmt eq 'png') {
    set terminal pngcairo size 1200,800 font 'sans,11' noenhanced
    set output out.'.png'
  }
  if (fmt eq 'svg') {
    set terminal svg size 1200,800 font 'sans,11' noenhanced \
        background '#ffffff'
    set output out.'.svg'
  }
  if (fmt eq 'dumb') {
    set terminal dumb size cols,rows noenhanced
    set output
    unset grid
  }
  plot dat index '[window]' using 1:2 with steps ls 5 title 'window (ACK + rwnd)', \
       dat index '[ack]' using 1:2 with steps ls 4 title 'ACK', \
       dat index '[sack]' using 1:2:(0):($3-$2) with vectors arrowstyle 6 title 'SACK block', \
       dat index '[seg]' using 1:2:(0):($3-$2) with vectors arrowstyle 1 title 'data', \
       dat index '[dupack]' using 1:2 with points ls 8 title 'duplicate ACK', \
       dat index '[rexmit_rto]' using 1:2:(0):($3-$2) with vectors arrowstyle 2 title 'retransmission (timeout)', \
       dat index '[rexmit_other]' using 1:2:(0):($3-$2) with vectors arrowstyle 3 title 'retransmission (fast, SACK)', \
       dat index '[lost]' using 1:(($2+$3)/2) with points ls 7 title 'lost (at send time)'
  set output
}
