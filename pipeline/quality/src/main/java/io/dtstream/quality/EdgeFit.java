package io.dtstream.quality;

import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DiagonalMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.util.Pair;

/**
 * One edge of a time box, the CMS way: {@code B + A/2 * (1 + s * erf((t - t50) / (sigma sqrt 2)))}
 * with s = +1 for the rising edge and -1 for the falling one ({@code A/2 * erfc}), fitted by
 * Levenberg-Marquardt (Commons Math) to histogram bins, each weighted by 1 / its variance, taken
 * as its neighbourhood's mean count (at least 1: a bin's own count would pull the fit low). The
 * model is averaged over each bin, not taken at its centre: a simulated edge is sharper than a
 * 2.5 ns bin, and only the share of the edge's bin that is filled then says where t50 is.
 */
final class EdgeFit {
  /** The fitted edge's curve, and the standard error of its 50 % point (ns). */
  record Edge(TimeBox.Curve curve, double t50Error) {}

  private static final double SQRT2 = Math.sqrt(2);
  private static final double SQRT_PI = Math.sqrt(Math.PI);
  /** Keeps the width positive and the model smooth as a fit drives it to a step. */
  private static final double MIN_SIGMA_NS = 0.1;

  private EdgeFit() {}

  /**
   * @param low the bins' lower edges, ns
   * @param high their upper edges
   * @param counts their counts
   * @param variances their counts' variances
   * @param rising the edge's direction
   * @param start B, A, t50 and sigma to start from
   * @return the edge, or null if the fit fails
   */
  static Edge fit(double[] low, double[] high, double[] counts, double[] variances, boolean rising, double[] start) {
    double sign = rising ? 1 : -1;
    double[] weights = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      weights[i] = 1 / Math.max(1, variances[i]);
    }
    LeastSquaresBuilder problem =
        new LeastSquaresBuilder()
            .model(p -> valueAndJacobian(p, low, high, sign))
            .target(counts)
            .weight(new DiagonalMatrix(weights))
            .start(start)
            .maxEvaluations(2_000)
            .maxIterations(2_000);
    try {
      LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer().optimize(problem.build());
      RealVector p = optimum.getPoint();
      double t50 = p.getEntry(2);
      double t50Error = t50Error(optimum);
      if (!Double.isFinite(t50) || !Double.isFinite(t50Error) || p.getEntry(1) <= 0
          || t50 < low[0] || t50 > high[high.length - 1]) {
        return null;
      }
      return new Edge(new TimeBox.Curve(p.getEntry(0), p.getEntry(1), t50, width(p.getEntry(3))), t50Error);
    } catch (MathIllegalStateException | IllegalArgumentException e) {
      return null; // did not converge, or a singular covariance: the caller says "failed"
    }
  }

  /**
   * The standard error of t50 from the fit's covariance; if the width is undetermined (an edge
   * sharper than a bin leaves the fit without a handle on it), with the width held at its value.
   */
  private static double t50Error(LeastSquaresOptimizer.Optimum optimum) {
    try {
      return optimum.getSigma(1e-14).getEntry(2);
    } catch (SingularMatrixException e) {
      RealMatrix j = optimum.getJacobian().getSubMatrix(0, optimum.getJacobian().getRowDimension() - 1, 0, 2);
      RealMatrix covariance = new LUDecomposition(j.transpose().multiply(j)).getSolver().getInverse();
      return Math.sqrt(covariance.getEntry(2, 2));
    }
  }

  private static double width(double sigma) {
    return Math.hypot(sigma, MIN_SIGMA_NS);
  }

  /** The model's mean over each bin at parameters (B, A, t50, sigma). */
  private static double[] values(double[] p, double[] low, double[] high, double sign) {
    double sigma = width(p[3]);
    double[] values = new double[low.length];
    for (int i = 0; i < low.length; i++) {
      double step = (integral(high[i], p[2], sigma, sign) - integral(low[i], p[2], sigma, sign)) / (high[i] - low[i]);
      values[i] = p[0] + p[1] * step;
    }
    return values;
  }

  /** An antiderivative of the step {@code (1 + s erf(u)) / 2}, u = (t - t50) / (sigma sqrt 2). */
  private static double integral(double t, double t50, double sigma, double sign) {
    double u = (t - t50) / (sigma * SQRT2);
    return t / 2 + sign * sigma * SQRT2 / 2 * (u * Erf.erf(u) + Math.exp(-u * u) / SQRT_PI);
  }

  /** Values and a central-difference Jacobian. */
  private static Pair<RealVector, RealMatrix> valueAndJacobian(RealVector point, double[] low, double[] high, double sign) {
    double[] p = point.toArray();
    double[] values = values(p, low, high, sign);
    double[][] jacobian = new double[low.length][p.length];
    for (int j = 0; j < p.length; j++) {
      double h = 1e-6 * Math.max(1, Math.abs(p[j]));
      double[] up = p.clone();
      double[] down = p.clone();
      up[j] += h;
      down[j] -= h;
      double[] above = values(up, low, high, sign);
      double[] below = values(down, low, high, sign);
      for (int i = 0; i < low.length; i++) {
        jacobian[i][j] = (above[i] - below[i]) / (2 * h);
      }
    }
    return new Pair<>(new ArrayRealVector(values, false), new Array2DRowRealMatrix(jacobian, false));
  }
}
